using System.Text.Json.Nodes;
using Course.Display;
using Course.Display.PlotlyNet;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Notebook.Tests;

public class PlotlyNetDisplayTests
{
    private static GenericChart LossCurve() =>
        PlotlyChart.Line<int, double, string>(x: new[] { 1, 2, 3 }, y: new[] { 0.9, 0.5, 0.25 }, Name: "loss");

    [Fact]
    public void AGenericChartGetsTheMimeBundleOfTheKitsCharts()
    {
        PlotlyNetDisplay.Register();
        var bundle = Formatter.Format(LossCurve());
        var kit = Course.Display.Chart.Line(new[] { 1, 2, 3 }, new[] { 0.9, 0.5, 0.25 }).ToMimeBundle();
        Assert.Equal(kit.Data.Keys.Order(), bundle.Data.Keys.Order());
        Assert.Equal([PlotlyHtml.Asset], bundle.Requires);
        Assert.Contains($"class=\"{PlotlyHtml.DivClass}\"", bundle.GetText(MimeTypes.Html));
        Assert.Contains("Plotly.newPlot", bundle.GetText(MimeTypes.Html));
        Assert.Equal("Plotly.NET chart (1 trace: scatter)", bundle.GetText(MimeTypes.PlainText));
    }

    [Fact]
    public void TheFigureHoldsTheChartsDataAndLayoutOnly()
    {
        var chart = Plotly.NET.Chart.withTitle("loss", null).Invoke(LossCurve());
        var figure = PlotlyNetDisplay.ToFigure(chart);
        Assert.Equal(["data", "layout"], figure.Select(p => p.Key));
        var trace = figure["data"]![0]!;
        Assert.Equal("scatter", trace["type"]!.GetValue<string>());
        Assert.Equal("lines", trace["mode"]!.GetValue<string>());
        Assert.Equal("loss", trace["name"]!.GetValue<string>());
        Assert.Equal("[1,2,3]", trace["x"]!.ToJsonString());
        Assert.Equal("[0.9,0.5,0.25]", trace["y"]!.ToJsonString());
        Assert.Equal("loss", figure["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("Plotly.NET chart \"loss\" (1 trace: scatter)", PlotlyNetDisplay.ToMimeBundle(chart).GetText(MimeTypes.PlainText));
    }

    [Fact]
    public void NothingInTheOutputPointsAtACdn()
    {
        // Plotly.NET's own HTML loads plotly.js from a CDN; the kit's output draws with the plotly.js the page loaded
        Assert.Contains("cdn.plot.ly", GenericChart.toEmbeddedHTML(LossCurve()), StringComparison.OrdinalIgnoreCase);
        var bundle = PlotlyNetDisplay.ToMimeBundle(LossCurve());
        foreach (var (mime, value) in bundle.Data)
        {
            var text = value is JsonNode node ? node.ToJsonString() : (string)value;
            Assert.DoesNotContain("cdn", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("http", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<script src", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void TheChartsSizeSetsTheSizeOfItsDiv()
    {
        var chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(LossCurve(), Width: 500, Height: 300);
        Assert.Contains("style=\"width:500px;height:300px;\"", PlotlyNetDisplay.ToMimeBundle(chart).GetText(MimeTypes.Html));
    }
}
