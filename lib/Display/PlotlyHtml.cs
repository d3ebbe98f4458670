using System.Text.Json.Nodes;

namespace Course.Display;

/// <summary>
/// The HTML that draws plotly figures, and the plotly.js asset it needs. plotly.js comes from the npm package
/// plotly.js-dist-min that <c>./course setup</c> installs under artifacts/npm; a notebook loads it once
/// (the engine emits the loader of <see cref="Asset"/> before the first output that requires it).
/// </summary>
public static class PlotlyHtml
{
    /// <summary>plotly.js as a page asset: charts list it in <see cref="MimeBundle.Requires"/>.</summary>
    public static PageAsset Asset { get; } = new("plotly", LoaderHtml);

    /// <summary>The CSS class of every chart div (the book builder and PNG renderer look for it).</summary>
    public const string DivClass = "course-plotly";

    /// <summary>
    /// Output metadata key holding the figure of an output whose HTML draws a chart but that does not offer
    /// the plotly MIME type itself (for example a progress view); the PNG renderer reads it.
    /// </summary>
    public const string FigureMetadataKey = "course_plotly_figure";

    /// <summary>The path of plotly.min.js, from $COURSE_PLOTLY_JS (see <see cref="CourseEnvironment"/>).</summary>
    public static string LocateScript() => CourseEnvironment.RequiredFile(CourseEnvironment.PlotlyJs);

    /// <summary>
    /// A script element that defines window.Plotly from the local plotly.js (require.js in classic Jupyter is kept out of
    /// the way, so the bundle always sets the global).
    /// </summary>
    public static string LoaderHtml()
    {
        var js = File.ReadAllText(LocateScript()).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return "<script type=\"text/javascript\">(function(define, module, exports){\n" + js +
               "\n}).call(window);</script>";
    }

    /// <summary>
    /// The MIME bundle of a chart: the HTML that draws <paramref name="figure"/>, the figure itself as
    /// <see cref="MimeTypes.Plotly"/> (the PNG renderer reads it), <paramref name="text"/> as text/plain, and plotly.js as
    /// a required page asset. Every chart the kit shows goes through here (<see cref="Chart"/>, and adapters of other
    /// chart libraries), so they all render the same way offline.
    /// </summary>
    /// <param name="figure">A plotly figure, {"data": [...], "layout": {...}}.</param>
    public static MimeBundle FigureBundle(JsonObject figure, string text)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(text);
        return new MimeBundle()
            .With(MimeTypes.Html, Figure(figure))
            .With(MimeTypes.Plotly, figure)
            .With(MimeTypes.PlainText, text)
            .Require(Asset);
    }

    /// <summary>A one-line description of a figure: its title, and how many traces of which kinds, e.g. <c>Chart "loss" (2 traces: scatter)</c>.</summary>
    public static string Describe(JsonObject figure, string kind = "Chart")
    {
        ArgumentNullException.ThrowIfNull(figure);
        var title = figure["layout"]?["title"] switch
        {
            JsonObject t => t["text"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null,
            JsonValue v when v.TryGetValue<string>(out var s) => s, // plotly also accepts a bare string
            _ => null
        };
        var traces = figure["data"] as JsonArray ?? [];
        var kinds = string.Join(", ", traces.Select(t => t?["type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "scatter").Distinct());
        return $"{kind}{(title is null ? "" : $" \"{title}\"")} ({traces.Count} trace{(traces.Count == 1 ? "" : "s")}: {kinds})";
    }

    /// <summary>A div and a script that draws <paramref name="figure"/> as soon as window.Plotly exists.</summary>
    public static string Figure(JsonObject figure)
    {
        var id = "course-plot-" + Guid.NewGuid().ToString("N")[..12];
        var height = Pixels(figure["layout"]?["height"]) ?? 420;
        var width = Pixels(figure["layout"]?["width"]);
        var style = (width is { } w ? $"width:{w}px;" : "width:100%;") + $"height:{height}px;";
        return $"<div id=\"{id}\" class=\"{DivClass}\" style=\"{style}\"></div>\n" +
               "<script type=\"text/javascript\">(function(){var fig=" + figure.ToJsonString() + ";" +
               $"var id=\"{id}\";" +
               "function draw(){var el=document.getElementById(id);if(!el)return;el.innerHTML=\"\";" +
               "window.Plotly.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false});}" +
               "if(window.Plotly){draw();}else{var n=0,t=setInterval(function(){if(window.Plotly){clearInterval(t);draw();}else if(++n>400){clearInterval(t);}},50);}" +
               "})();</script>";
    }

    /// <summary>A layout size in whole pixels (plotly accepts any JSON number), or null when absent or not a number.</summary>
    private static int? Pixels(JsonNode? node) =>
        node is JsonValue v && double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d > 0
            ? (int)Math.Round(d)
            : null;
}
