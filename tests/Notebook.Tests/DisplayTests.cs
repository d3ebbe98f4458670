using System.Text.Json.Nodes;
using Course.Display;

namespace Notebook.Tests;

public class DisplayTests
{
    private sealed record Row(string Name, double Score, int Rank);

    [Fact]
    public void RecordsBecomeATableWithHtmlTextAndCsv()
    {
        var table = Table.From(new[] { new Row("a, b", 0.5, 1), new Row("say \"hi\"", 0.25, 2) });
        Assert.Equal(["Name", "Score", "Rank"], table.Columns);
        Assert.Equal("Name,Score,Rank\n\"a, b\",0.5,1\n\"say \"\"hi\"\"\",0.25,2\n", table.ToCsv());
        var html = table.ToHtml();
        Assert.Contains("<th>Name</th><th>Score</th><th>Rank</th>", html);
        Assert.Contains("<td>say &quot;hi&quot;</td>", html);
        var lines = table.ToText().Split('\n');
        Assert.Equal("Name      Score  Rank", lines[0]);
        Assert.Equal("a, b        0.5     1", lines[2]);
        var bundle = Formatter.Format(new List<Row> { new("x", 1, 1) });
        Assert.Contains("<table", bundle.GetText(MimeTypes.Html));
    }

    [Fact]
    public void AnonymousTuplesAndDictionariesBecomeTables()
    {
        var anon = Table.From(new[] { new { epoch = 1, loss = 0.5 } });
        Assert.Equal(["epoch", "loss"], anon.Columns);
        Assert.Equal(0.5, anon[0, "loss"]);
        var dict = Formatter.Format(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });
        Assert.Equal("key  value\n---  -----\na        1\nb        2", dict.GetText(MimeTypes.PlainText));
        Assert.Equal(["Item1", "Item2"], Table.From(new[] { (1, "x") }).Columns);
    }

    [Fact]
    public void CsvIsSavedAtomically()
    {
        var dir = Path.Combine(Path.GetTempPath(), "course-csv-" + Guid.NewGuid().ToString("N")[..8]);
        var path = Path.Combine(dir, "sub", "t.csv");
        new[] { new { a = 1.5 } }.ToTable().SaveCsv(path);
        Assert.Equal("a\n1.5\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TableRejectsRaggedRows() =>
        Assert.Throws<ArgumentException>(() => new Table(["a", "b"], [new object?[] { 1 }]));

    [Fact]
    public void ScalarsAndListsAreText()
    {
        Assert.Equal("0.1", Formatter.Format(0.1).GetText(MimeTypes.PlainText));
        Assert.Equal("[1, 2.5, 3]", Formatter.Format(new[] { 1, 2.5, 3 }).GetText(MimeTypes.PlainText));
        Assert.Equal("[\"a\", \"b\"]", Formatter.Format(new List<string> { "a", "b" }).GetText(MimeTypes.PlainText));
        Assert.EndsWith(", ... (100 items)]", Formatter.Format(Enumerable.Range(0, 100).ToArray()).GetText(MimeTypes.PlainText));
        static IEnumerable<int> Endless() { for (int i = 0; ; i++) yield return i; }
        Assert.EndsWith("63, ...]", Formatter.Format(Endless()).GetText(MimeTypes.PlainText));
        static IEnumerable<object> EndlessRecords() { for (int i = 0; ; i++) yield return new { i }; }
        Assert.Contains("only the first 10000 items", Formatter.Format(EndlessRecords()).GetText(MimeTypes.PlainText));
    }

    [Fact]
    public void RegisteredFormatterWinsForDerivedTypes()
    {
        Formatter.Register<Exception>(e => MimeBundle.Text("custom: " + e.Message));
        try { Assert.Equal("custom: x", Formatter.Format(new InvalidOperationException("x")).GetText(MimeTypes.PlainText)); }
        finally { Formatter.Unregister<Exception>(); }
    }

    [Fact]
    public void RequestingAnAbsentMimeTypeFails() =>
        Assert.Throws<ArgumentException>(() => Formatter.Format(Chart.Line(new[] { 1 }), "image/png"));

    [Fact]
    public void LineChartFigureHasTheDataAndNaNBecomesAGap()
    {
        var fig = Chart.Line(new[] { 1f, float.NaN, 3f }, "loss").WithTitle("t").WithXLabel("step").ToFigure();
        var trace = fig["data"]![0]!;
        Assert.Equal("scatter", trace["type"]!.GetValue<string>());
        Assert.Equal("[0,1,2]", trace["x"]!.ToJsonString());
        Assert.Equal("[1,null,3]", trace["y"]!.ToJsonString());
        Assert.Equal("t", fig["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("step", fig["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Chart.Line(new[] { 1, 2 }, new[] { 1 }));
    }

    [Fact]
    public void HeatmapKeepsLabelsAndChecksSizes()
    {
        var fig = Chart.Heatmap(new double[,] { { 1, 2 }, { 3, 4 } }, ["a", "b"], ["r1", "r2"], showValues: true).ToFigure();
        var t = fig["data"]![0]!;
        Assert.Equal("[[1,2],[3,4]]", t["z"]!.ToJsonString());
        Assert.Equal("[\"a\",\"b\"]", t["x"]!.ToJsonString());
        Assert.Equal("[\"r1\",\"r2\"]", t["y"]!.ToJsonString());
        Assert.Throws<ArgumentException>(() => Chart.Heatmap(new double[,] { { 1, 2 } }, ["only-one"]));
    }

    [Fact]
    public void ContourPutsRowsOnYAndColumnsOnXWithNumericAxes()
    {
        // z[i, j] = x[j] + 10 y[i] on a 3 x 2 grid
        double[] x = [0, 1, 2], y = [0, 1];
        var z = new double[] { 0, 1, 2, 10, 11, 12 };
        var chart = Chart.Contour(z, x, y, levels: 5).Add(Chart.Line(new[] { 0.0, 2.0 }, new[] { 0.0, 1.0 }, "path")).WithLogX();
        var fig = chart.ToFigure();
        var t = fig["data"]![0]!;
        Assert.Equal("contour", t["type"]!.GetValue<string>());
        Assert.Equal("[[0,1,2],[10,11,12]]", t["z"]!.ToJsonString());
        Assert.Equal("[0,1,2]", t["x"]!.ToJsonString());
        Assert.Equal("[0,1]", t["y"]!.ToJsonString());
        Assert.Equal(5, t["ncontours"]!.GetValue<int>());
        Assert.Null(fig["layout"]!["yaxis"]?["autorange"]);
        Assert.Equal("log", fig["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal(2, ((JsonArray)fig["data"]!).Count);
        Assert.Throws<ArgumentException>(() => Chart.Contour(z, x, new double[] { 0 }));
        Assert.Throws<ArgumentException>(() => Chart.Contour(z.Take(5).ToArray(), x, y));
    }

    [Fact]
    public void ImageGridLaysOutSubplotsAndValidatesTheShape()
    {
        var pixels = Enumerable.Range(0, 3 * 2 * 2).Select(i => i / 12f).ToArray();
        var chart = Chart.ImageGrid(pixels, [3, 2, 2], columns: 2, titles: ["a", "b", "c"]);
        var fig = chart.ToFigure();
        Assert.Equal(3, ((JsonArray)fig["data"]!).Count);
        Assert.Equal("x3", fig["data"]![2]!["xaxis"]!.GetValue<string>());
        Assert.Equal(2, fig["layout"]!["grid"]!["rows"]!.GetValue<int>());
        Assert.Equal(3, ((JsonArray)fig["layout"]!["annotations"]!).Count);
        Assert.Equal(255.0 * 11 / 12, fig["data"]![2]!["z"]![1]![1]!.GetValue<double>(), 3);
        Assert.Throws<ArgumentException>(() => Chart.ImageGrid(pixels, [5, 2, 2]));
        Assert.Throws<ArgumentException>(() => Chart.ImageGrid(pixels, [1, 2, 3, 2]));
    }

    [Fact]
    public void ChartBundleOffersHtmlPlotlyJsonAndText()
    {
        var bundle = Chart.Bar(["a"], new[] { 2 }).WithTitle("bars").ToMimeBundle();
        Assert.Contains(PlotlyHtml.Asset, bundle.Requires);
        Assert.Contains("Plotly.newPlot", bundle.GetText(MimeTypes.Html));
        Assert.Contains($"class=\"{PlotlyHtml.DivClass}\"", bundle.GetText(MimeTypes.Html));
        Assert.IsAssignableFrom<JsonObject>(bundle.Data[MimeTypes.Plotly]);
        Assert.Equal("Chart \"bars\" (1 trace: bar)", bundle.GetText(MimeTypes.PlainText));
    }

    [Fact]
    public void ProgressOutsideANotebookWritesATextBar()
    {
        var p = Progress.Start(4, "fit");
        p.Step(0.5); p.Step(); p.Step(0.25); p.Step();
        Assert.StartsWith("fit [##########] 4/4  loss 0.25  ", p.ToText(10));
        Assert.Equal(2, p.Losses.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Report(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Progress.Start(0));
    }

    [Fact]
    public void MimeBundleChecksValueKinds()
    {
        Assert.Throws<ArgumentException>(() => new MimeBundle().With(MimeTypes.Json, "not json node"));
        Assert.Throws<ArgumentException>(() => new MimeBundle().With(MimeTypes.Html, new JsonObject()));
    }
}
