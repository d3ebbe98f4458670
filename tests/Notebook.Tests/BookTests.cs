namespace Notebook.Tests;

/// <summary>The book builder, run as <c>Course.Notebook.Runner book</c> over a small repository of its own.</summary>
[Collection("fixtures")]
public class BookTests
{
    private static string NewRoot(string name)
    {
        var root = Path.Combine(Repo.TestOutput, name);
        if (Directory.Exists(root)) Directory.Delete(root, true);
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        Directory.CreateDirectory(Path.Combine(root, "artifacts", "results"));
        Directory.CreateSymbolicLink(Path.Combine(root, "artifacts", "npm"), Path.Combine(Checkout.Artifacts, "npm"));
        return root;
    }

    private static ChildProcess.Result Book(string root) =>
        ChildProcess.Run("dotnet", [Checkout.RunnerDll, "book"], TimeSpan.FromMinutes(2), new Dictionary<string, string?> { ["COURSE_ROOT"] = root });

    [Fact]
    public void BookHasAnIndexChapterPagesWithMathChartsAndTheResultsTable()
    {
        var root = NewRoot("book-root");
        var exec = Repo.Exec(Path.Combine(Repo.Fixtures, "chart-table.ipynb"), Path.Combine(root, "artifacts", "notebooks", "chart-table.ipynb"));
        Assert.True(exec.ExitCode == 0, exec.ToString());
        File.WriteAllText(Path.Combine(root, "artifacts", "results", "chart-table.json"), """[{"metric": "accuracy", "value": 0.97, "seconds": 12.5, "device": "cpu"}]""");

        var run = Book(root);
        Assert.True(run.ExitCode == 0, run.ToString());
        var book = Path.Combine(root, "artifacts", "book");
        var index = File.ReadAllText(Path.Combine(book, "index.html"));
        Assert.Contains("<a href=\"chart-table.html\">A chart, a table and a progress bar</a>", index);
        Assert.Contains("<td>accuracy</td><td>0.97</td><td>12.5</td><td>cpu</td>", index);
        var page = File.ReadAllText(Path.Combine(book, "chart-table.html"));
        Assert.Contains("<script src=\"assets/plotly.min.js\"></script>", page);
        Assert.Contains("assets/katex/auto-render.min.js", page);
        Assert.Contains("<span class=\"math\">", page);
        Assert.Contains("class=\"course-plotly\"", page);
        Assert.Contains("<th>model</th><th>accuracy</th>", page);
        Assert.True(page.Length < 1_000_000, "plotly.js must come from assets/, not be inlined into the page");
        Assert.True(File.Exists(Path.Combine(book, "assets", "plotly.min.js")));
        Assert.True(File.Exists(Path.Combine(book, "assets", "katex", "katex.min.js")));
        Assert.False(Directory.Exists(book + ".tmp-" + Environment.ProcessId));

        // opened offline in headless Chromium, plotly.js draws the charts and KaTeX typesets the math
        var dom = ChildProcess.Run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={Path.Combine(root, "chromium-profile")}", "--virtual-time-budget=15000", "--dump-dom",
            new Uri(Path.Combine(book, "chart-table.html")).AbsoluteUri], TimeSpan.FromMinutes(2));
        Assert.True(dom.ExitCode == 0, dom.ToString());
        Assert.True(System.Text.RegularExpressions.Regex.Matches(dom.Stdout, "class=\"main-svg\"").Count >= 3, "plotly did not draw the charts in the book page");
        Assert.Contains("class=\"katex\"", dom.Stdout);
    }

    [Fact]
    public void MalformedResultsFailTheBookWithAClearMessage()
    {
        var root = NewRoot("book-bad-results");
        File.WriteAllText(Path.Combine(root, "artifacts", "results", "broken.json"), "{not json");
        var run = Book(root);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("broken.json is not a results file (a JSON array of {metric, value, seconds, device})", run.Stderr);
    }
}
