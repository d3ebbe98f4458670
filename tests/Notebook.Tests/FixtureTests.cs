namespace Notebook.Tests;

/// <summary>The fixture notebooks, each executed by the runner in its own process, prove the engine end to end.</summary>
[Collection("fixtures")]
public class FixtureTests
{
    private static (ChildProcess.Result Run, Executed Notebook, string Path) Exec(string name, bool png = false)
    {
        var output = Path.Combine(Repo.TestOutput, "fixtures", name);
        if (File.Exists(output)) File.Delete(output);
        var run = Repo.Exec(Path.Combine(Repo.Fixtures, name), output, png: png, timeout: TimeSpan.FromMinutes(5));
        Assert.True(File.Exists(output), $"no executed copy was written\n{run}");
        Assert.Null(Repo.NbformatError(output));
        return (run, new Executed(output), output);
    }

    [Fact]
    public void DisplayUpdatesReplaceOutputsAndLastExpressionsShow()
    {
        var (run, nb, _) = Exec("display-update.ipynb");
        Assert.True(run.ExitCode == 0, run.ToString());
        var cell2 = nb.Outputs(2);
        Assert.Equal(["display_data", "execute_result"], cell2.Select(o => o["output_type"]!.GetValue<string>()));
        Assert.Equal("done", Executed.Data(cell2[0], "text/plain"));
        Assert.Equal("<b>bold</b>", Executed.Data(cell2[1], "text/html"));
        Assert.Empty(nb.Outputs(3));
        Assert.Equal("40", Executed.Data(nb.Outputs(4).Single(), "text/plain"));
        var cell5 = nb.Outputs(5).Single();
        Assert.Equal("stream", cell5["output_type"]!.GetValue<string>());
        Assert.Equal("n = 20\n", Executed.Text(cell5["text"]));
        Assert.Equal("updated from a later cell", Executed.Data(nb.Outputs(6).Single(), "text/plain"));
        Assert.Empty(nb.Outputs(7));
        Assert.Equal(6, nb.Cell(7)["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void LoadIsRelativeToTheNotebook()
    {
        var (run, nb, _) = Exec("load-and-reference.ipynb");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hello, fixture", Executed.Data(nb.Outputs(3).Single(), "text/plain"));
        Assert.Equal("True", Executed.Data(nb.Outputs(4).Single(), "text/plain"));
    }

    [Fact]
    public void ChartsGetPngRenderingsAndTablesRenderAsHtml()
    {
        var (run, nb, _) = Exec("chart-table.ipynb", png: true);
        Assert.True(run.ExitCode == 0, run.ToString());
        var cell2 = nb.Outputs(2);
        Assert.Equal(2, cell2.Count);
        Assert.Contains("window.Plotly", Executed.Data(cell2[0], "text/html")); // plotly.js, once, before the first chart
        var chart = cell2[1];
        Assert.NotNull(chart["data"]!["application/vnd.plotly.v1+json"]);
        var png = Convert.FromBase64String(Executed.Data(chart, "image/png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.True(png.Length > 5000, $"the PNG is suspiciously small ({png.Length} bytes)");
        Assert.Contains("<img src=\"data:image/png;base64,", Executed.Data(chart, "text/html"));
        Assert.Single(nb.Outputs(3)); // no second plotly loader
        Assert.NotEmpty(Executed.Data(nb.Outputs(3)[0], "image/png"));
        Assert.Equal(2, nb.Outputs(4).Count); // the page's first table comes after the loader of its sorting script
        var table = nb.Outputs(4)[1];
        Assert.Contains("<th>model</th><th>accuracy</th>", Executed.Data(table, "text/html"));
        Assert.Contains("mlp", Executed.Data(table, "text/plain"));
        var progress = nb.Outputs(5).Single();
        Assert.StartsWith("training [", Executed.Data(progress, "text/plain"));
        Assert.Contains("40/40", Executed.Data(progress, "text/plain"));
        Assert.NotEmpty(Executed.Data(progress, "image/png"));
    }

    [Fact]
    public void TheCourseLibraryLoadsFromItsOneLineCellThroughAShadowCopy()
    {
        var (run, nb, _) = Exec("course-library.ipynb");
        Assert.True(run.ExitCode == 0, run.ToString());
        var tensor = nb.Outputs(3).Single();
        Assert.StartsWith("tensor([[ 1.5410, -0.2934, -2.1788],", Executed.Data(tensor, "text/plain"));
        Assert.Contains("Float32 [2, 3] on cpu", Executed.Data(tensor, "text/html"));
        var grid = nb.Outputs(4).Last()["data"]!["application/vnd.plotly.v1+json"]!;
        Assert.Equal(4, grid["data"]!.AsArray().Count);
        Assert.Equal("heatmap", grid["data"]![0]!["type"]!.GetValue<string>());
        var heat = nb.Outputs(5).Single()["data"]!["application/vnd.plotly.v1+json"]!["data"]![0]!;
        Assert.Equal("[[1,0,0],[0,1,0],[0,0,1]]", heat["z"]!.ToJsonString());
        Assert.Equal("True", Executed.Data(nb.Outputs(6).Single(), "text/plain"));
    }

    [Fact]
    public void PlotlyNetChartsAndDataFramesShowAsTheKitsChartsAndTables()
    {
        var (run, nb, _) = Exec("plotly-net-and-data-frames.ipynb", png: true);
        Assert.True(run.ExitCode == 0, run.ToString());
        var chart = nb.Outputs(3).Single(o => o["output_type"]!.GetValue<string>() == "execute_result");
        var figure = chart["data"]!["application/vnd.plotly.v1+json"]!;
        Assert.Equal("[0.9,0.5,0.25]", figure["data"]![0]!["y"]!.ToJsonString());
        Assert.Contains("class=\"course-plotly\"", Executed.Data(chart, "text/html"));
        Assert.NotEmpty(Executed.Data(chart, "image/png"));
        Assert.Equal("Plotly.NET chart (1 trace: scatter)", Executed.Data(chart, "text/plain"));
        // the page loads the kit's plotly.js (a script of its own, from no address)
        Assert.DoesNotContain("<script src", string.Concat(nb.Outputs(3).Select(o => Executed.Data(o, "text/html"))));
        // the page's first table comes after the loader of its sorting script (an output of its own)
        Assert.Equal(2, nb.Outputs(4).Count);
        Assert.Equal("course-table-sort", nb.Outputs(4)[0]["metadata"]![Course.Display.PageAsset.MetadataKey]!.GetValue<string>());
        var frame = nb.Outputs(4)[1];
        Assert.Contains("<tr><td>b</td><td>2</td><td></td></tr>", Executed.Data(frame, "text/html"));
        Assert.Equal("name  n  v\n----  -  ---\na     1  0.5\nb     2\nc     3  1.5", Executed.Data(frame, "text/plain"));
        Assert.Contains("<th>v</th>", Executed.Data(nb.Outputs(5).Single(), "text/html"));
    }

    [Fact]
    public void RedeclaredVariablesAndClassesShadowEarlierOnes()
    {
        var (run, nb, _) = Exec("redeclare.ipynb");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("two second", Executed.Data(nb.Outputs(4).Single(), "text/plain"));
    }

    [Fact]
    public void AFailingCellFailsTheRunNamingNotebookCellAndError()
    {
        var (run, nb, _) = Exec("failing.ipynb");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("failing.ipynb: cell 3 failed: System.InvalidOperationException: deliberate failure in the fixture (cell line 2)", run.Stderr);
        var error = nb.Outputs(3).Single();
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("deliberate failure in the fixture", error["evalue"]!.GetValue<string>());
        Assert.Empty(nb.Outputs(4)); // the run stopped: later cells do not run
        Assert.Null(nb.Cell(4)["execution_count"]);
        Assert.Equal("this cell runs", Executed.Data(nb.Outputs(2).Single(), "text/plain"));
    }

    [Fact]
    public void RunCommandExitsNonZeroOnTheFirstFailure()
    {
        var folder = Path.Combine(Repo.TestOutput, "run-failing");
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Repo.Fixtures, "failing.ipynb"), Path.Combine(folder, "a-failing.ipynb"));
        File.Copy(Path.Combine(Repo.Fixtures, "redeclare.ipynb"), Path.Combine(folder, "b-redeclare.ipynb"));
        var run = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "run", folder, "--out-dir", Path.Combine(folder, "executed"), "--no-book", "--no-png"], TimeSpan.FromMinutes(5));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("a-failing.ipynb: cell 3 failed", run.Stderr);
        Assert.Contains("stopping at the first failure", run.Stderr);
        Assert.DoesNotContain("b-redeclare.ipynb ok", run.Stdout);
        Assert.True(File.Exists(Path.Combine(folder, "executed", "a-failing.ipynb")), run.ToString());
        Assert.False(File.Exists(Path.Combine(folder, "executed", "b-redeclare.ipynb")));
    }
}
