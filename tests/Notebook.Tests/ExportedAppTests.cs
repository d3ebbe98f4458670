using Course;

namespace Notebook.Tests;

/// <summary>
/// Chapters exported by the runner's <c>export</c> command run as .NET file-based apps (<c>dotnet run chapter.cs</c>) in
/// fast mode, from a shell that has none of the environment contract set (the app reads artifacts/course.env itself),
/// and write their displays to the HTML report next to them. Chapter 00 and chapter 05 (a Vision Transformer, the
/// cheapest model chapter in fast mode). Building an app takes about 20 s of CPU (its references are up to date).
/// </summary>
[Collection("chapters")]
public class ExportedAppTests
{
    private static readonly string Apps = Path.Combine(Checkout.Artifacts, "test-apps");

    [Theory]
    // torch.manual_seed(0); torch.randn(3, 4) starts with these values in PyTorch too; the progress view, the chart and
    // the table are displays, "m has shape" is console text
    [InlineData("00-getting-started", new[] { "1.5410, -0.2934, -2.1788,  0.5684", "m has shape [2, 3] and dtype Float64", "class=\"course-progress\"", "fit of sin(3x)", "<table class=\"course-table\">" })]
    [InlineData("05-vit", new[] { "tokens per image: 17 (1 class token + 16 patches)", "ViT validation accuracy", "\"type\":\"heatmap\"", "class=\"course-progress\"", "ViT (patch 7)" })]
    public void ExportedChapterRunsInFastMode(string chapter, string[] expected)
    {
        var export = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "export", Path.Combine(Checkout.Notebooks, chapter + ".ipynb"), "--out", Apps], TimeSpan.FromMinutes(2));
        Assert.True(export.ExitCode == 0, export.ToString());
        var app = Path.Combine(Apps, chapter + ".cs");
        var report = Path.ChangeExtension(app, ".html");
        if (File.Exists(report)) File.Delete(report);

        var env = new Dictionary<string, string?>
        {
            ["COURSE_FAST"] = "1",
            // as from a fresh shell: the app finds the checkout through artifacts/course.env
            [CourseEnvironment.Root] = null, [CourseEnvironment.TorchNative] = null, [CourseEnvironment.PlotlyJs] = null,
            // no build server outlives the run holding this test's output pipes
            ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        };
        var run = ChildProcess.Run("dotnet", ["run", app], TimeSpan.FromMinutes(10), env, cwd: Path.GetTempPath());
        Assert.True(run.ExitCode == 0, $"dotnet run {app} failed:\n{run}");
        Assert.Contains($"report: {report}", run.Stdout);
        Assert.True(File.Exists(report), $"{report} was not written");
        var html = File.ReadAllText(report);
        foreach (var text in expected) Assert.Contains(text, html);
        // plotly.js is loaded once, before the first chart, from the local file (as the engine's pages do)
        var plotly = File.ReadAllText(Environment.GetEnvironmentVariable(CourseEnvironment.PlotlyJs)!).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        int loader = html.IndexOf(plotly, StringComparison.Ordinal);
        Assert.True(loader >= 0, "plotly.js is not in the report");
        Assert.Equal(-1, html.IndexOf(plotly, loader + 1, StringComparison.Ordinal));
        Assert.True(loader < html.IndexOf("class=\"course-plotly\"", StringComparison.Ordinal));
        Assert.DoesNotContain("<pre class=\"out error\">", html);
    }
}
