using Course.Display;

namespace Notebook.Tests;

/// <summary>The page a program's displays go to (what an exported chapter writes next to itself).</summary>
public class HtmlReportTests
{
    [Fact]
    public void OutputsKeepTheirOrderAndPlotlyLoadsOnceBeforeTheFirstChart()
    {
        using var dir = new TempFolder("course-report-");
        var report = new HtmlReport(dir.File("r.html"), "A <title>");
        report.WriteText("stdout", "first ");
        report.WriteText("stdout", "line\n");
        report.Display(Chart.Line(new[] { 1.0, 2.0 }, "one"));
        report.WriteText("stderr", "careful\n");
        report.Display(Chart.Line(new[] { 3.0, 4.0 }, "two"));
        report.Display(new HtmlString("<b>bold</b>"));
        report.Display("a < b");
        Assert.Equal(6, report.Count);
        report.Write();

        var html = File.ReadAllText(dir.File("r.html"));
        Assert.Contains("<title>A &lt;title&gt;</title>", html);
        Assert.Equal(1, Occurrences(html, "(function(define, module, exports)"));
        int loader = html.IndexOf("(function(define, module, exports)", StringComparison.Ordinal);
        int first = html.IndexOf("\"name\":\"one\"", StringComparison.Ordinal), second = html.IndexOf("\"name\":\"two\"", StringComparison.Ordinal);
        int stdout = html.IndexOf("<pre class=\"out stdout\">first line\n</pre>", StringComparison.Ordinal);
        int stderr = html.IndexOf("<pre class=\"out stderr\">careful\n</pre>", StringComparison.Ordinal);
        Assert.True(stdout >= 0 && stdout < loader && loader < first && first < stderr && stderr < second, "outputs out of order");
        Assert.Contains("<div class=\"out html\"><b>bold</b></div>", html);
        Assert.Contains("<pre class=\"out\">a &lt; b</pre>", html);
        Assert.False(File.Exists(dir.File("r.html") + $".tmp-{Environment.ProcessId}"));
    }

    [Fact]
    public void AnUpdateReplacesTheOutputInPlace()
    {
        using var dir = new TempFolder("course-report-");
        var report = new HtmlReport(dir.File("r.html"), "t");
        var handle = report.Display("step 1 of 3");
        report.Display("after");
        handle.Update("step 3 of 3");
        report.Write();
        var html = File.ReadAllText(dir.File("r.html"));
        Assert.DoesNotContain("step 1 of 3", html);
        Assert.True(html.IndexOf("step 3 of 3", StringComparison.Ordinal) < html.IndexOf("after", StringComparison.Ordinal));
    }

    [Fact]
    public void AnErrorIsShownAsAFailedCellsIs()
    {
        using var dir = new TempFolder("course-report-");
        var report = new HtmlReport(dir.File("r.html"), "t");
        report.WriteError(new InvalidOperationException("the loss is NaN"));
        report.Write();
        Assert.Contains("<pre class=\"out error\">System.InvalidOperationException: the loss is NaN", File.ReadAllText(dir.File("r.html")));
    }

    private static int Occurrences(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
