using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace Course.Display.PlotlyNet;

/// <summary>
/// How Plotly.NET charts look in a notebook: exactly as the kit's own <see cref="Chart"/> (the same MIME bundle, drawn
/// by the kit's plotly.js, with a PNG in the book). Plotly.NET's own HTML loads plotly.js from a CDN, which does not
/// work offline, so only the chart's figure (its data and layout, <see cref="GenericChart.toFigureJson"/>) is taken.
/// <see cref="Register"/> is called by lib/course.csx, the first cell of every chapter.
/// </summary>
public static class PlotlyNetDisplay
{
    private static int _registered;

    /// <summary>Registers the display of <see cref="GenericChart"/> with <see cref="Formatter"/> (once per process).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<GenericChart>(ToMimeBundle);
    }

    /// <summary>The plotly figure of the chart, {"data": [...], "layout": {...}}.</summary>
    public static JsonObject ToFigure(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var json = GenericChart.toFigureJson(chart);
        JsonObject parsed;
        try
        {
            parsed = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("Plotly.NET's figure JSON is not an object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Plotly.NET wrote figure JSON that does not parse ({e.Message}).", e);
        }
        // Plotly.NET adds "frames" (always empty: it does not support animation frames); the kit's figures have none
        return new JsonObject
        {
            ["data"] = parsed["data"]?.DeepClone() ?? new JsonArray(),
            ["layout"] = parsed["layout"]?.DeepClone() ?? new JsonObject()
        };
    }

    /// <summary>The chart's MIME bundle: HTML drawn by the kit's plotly.js, the plotly JSON and a line of text.</summary>
    public static MimeBundle ToMimeBundle(GenericChart chart)
    {
        var figure = ToFigure(chart);
        return PlotlyHtml.FigureBundle(figure, PlotlyHtml.Describe(figure, "Plotly.NET chart"));
    }
}
