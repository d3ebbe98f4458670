using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Display;

namespace Course.Notebook.Runner;

/// <summary>
/// Adds an image/png rendering to every chart output of an executed notebook (one headless Chromium run per notebook,
/// plotly.js's own toImage), and puts the PNG inside the chart's HTML as a fallback, so viewers that do not run
/// scripts (GitHub, nbviewer without JS) still show the plot.
/// </summary>
public static class PngRenderer
{
    /// <summary>Renders all charts; returns how many got a PNG.</summary>
    public static int Render(Course.Notebook.NotebookDocument document, string plotlyJs)
    {
        var targets = new List<(JsonObject Output, JsonObject Figure)>();
        foreach (var cell in document.Cells.Where(c => c.IsCode))
            foreach (var output in cell.Outputs.OfType<JsonObject>())
            {
                if (output["data"] is not JsonObject data) continue;
                var figure = data[MimeTypes.Plotly] as JsonObject ?? output["metadata"]?[PlotlyHtml.FigureMetadataKey] as JsonObject;
                if (figure is not null) targets.Add((output, figure));
            }
        if (targets.Count == 0) return 0;

        var dir = Path.Combine(Path.GetTempPath(), "course-png-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        try
        {
            var page = Path.Combine(dir, "render.html");
            var figures = new JsonArray(targets.Select(t => (JsonNode?)t.Figure.DeepClone()).ToArray());
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script src=\"").Append(new Uri(plotlyJs).AbsoluteUri).Append("\"></script></head><body>");
            html.Append("<pre id=\"out\">pending</pre><script>\n");
            html.Append("var figs = ").Append(figures.ToJsonString()).Append(";\n");
            html.Append("""
                (async function () {
                  var out = [];
                  for (var i = 0; i < figs.length; i++) {
                    var f = figs[i], l = f.layout || {};
                    var w = l.width || 720, h = l.height || 420;
                    try { out.push(await Plotly.toImage({ data: f.data, layout: l }, { format: 'png', width: w, height: h })); }
                    catch (e) { out.push('error: ' + e); }
                  }
                  document.getElementById('out').textContent = JSON.stringify(out);
                })();
                </script></body></html>
                """);
            File.WriteAllText(page, html.ToString());
            var dom = Chromium.DumpDom(page, 60000, TimeSpan.FromSeconds(120));
            int start = dom.IndexOf("<pre id=\"out\">", StringComparison.Ordinal);
            int end = start < 0 ? -1 : dom.IndexOf("</pre>", start, StringComparison.Ordinal);
            if (start < 0 || end < 0) throw new InvalidOperationException("the chart rendering page produced no result.");
            var text = WebUtility.HtmlDecode(dom[(start + 14)..end]);
            if (text == "pending") throw new InvalidOperationException("plotly.js did not finish rendering the charts in headless Chromium.");
            var images = JsonSerializer.Deserialize<string[]>(text) ?? [];
            int done = 0;
            for (int i = 0; i < targets.Count && i < images.Length; i++)
            {
                const string prefix = "data:image/png;base64,";
                if (!images[i].StartsWith(prefix, StringComparison.Ordinal))
                    throw new InvalidOperationException($"chart {i + 1} could not be rendered: {images[i]}");
                var base64 = images[i][prefix.Length..];
                var (output, _) = targets[i];
                var data = (JsonObject)output["data"]!;
                data[MimeTypes.Png] = base64;
                if (data[MimeTypes.Html] is { } htmlNode)
                {
                    var fragment = Course.Notebook.NotebookCell.JoinText(htmlNode);
                    var marker = $"class=\"{PlotlyHtml.DivClass}\"";
                    int at = fragment.IndexOf(marker, StringComparison.Ordinal);
                    int close = at < 0 ? -1 : fragment.IndexOf("></div>", at, StringComparison.Ordinal);
                    if (close >= 0)
                        fragment = fragment[..(close + 1)] + $"<img src=\"{prefix}{base64}\" alt=\"chart\" style=\"max-width:100%\"/>" + fragment[(close + 1)..];
                    data[MimeTypes.Html] = Course.Notebook.NotebookCell.ToLines(fragment);
                }
                if (output["metadata"] is JsonObject meta) meta.Remove(PlotlyHtml.FigureMetadataKey);
                done++;
            }
            return done;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
