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

    /// <summary>A div and a script that draws <paramref name="figure"/> as soon as window.Plotly exists.</summary>
    public static string Figure(JsonObject figure)
    {
        var id = "course-plot-" + Guid.NewGuid().ToString("N")[..12];
        var height = figure["layout"]?["height"]?.GetValue<int>() ?? 420;
        var width = figure["layout"]?["width"]?.GetValue<int>();
        var style = (width is { } w ? $"width:{w}px;" : "width:100%;") + $"height:{height}px;";
        return $"<div id=\"{id}\" class=\"{DivClass}\" style=\"{style}\"></div>\n" +
               "<script type=\"text/javascript\">(function(){var fig=" + figure.ToJsonString() + ";" +
               $"var id=\"{id}\";" +
               "function draw(){var el=document.getElementById(id);if(!el)return;el.innerHTML=\"\";" +
               "window.Plotly.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false});}" +
               "if(window.Plotly){draw();}else{var n=0,t=setInterval(function(){if(window.Plotly){clearInterval(t);draw();}else if(++n>400){clearInterval(t);}},50);}" +
               "})();</script>";
    }
}
