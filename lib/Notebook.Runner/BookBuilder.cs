using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Course.Display;
using Course.Notebook;
using Markdig;

namespace Course.Notebook.Runner;

/// <summary>
/// Builds the static book under artifacts/book/ from the executed notebooks in artifacts/notebooks/: an index of
/// chapters (with a table of the results that full runs wrote to artifacts/results/*.json), one page per chapter with
/// its markdown (math through KaTeX), code and outputs. plotly.js and KaTeX are copied next to the pages, so the book
/// works offline. The new book is assembled in a temporary folder and then moved into place.
/// </summary>
public static class BookBuilder
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().UseMathematics().Build();

    public sealed record Chapter(string File, string Title, NotebookDocument Document, bool Failed);

    /// <summary>Builds the book; returns the path of index.html.</summary>
    public static string Build(RepoLayout layout)
    {
        var chapters = LoadChapters(layout.ExecutedNotebooks);
        var temp = layout.Book + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        Directory.CreateDirectory(Path.Combine(temp, "assets"));
        File.Copy(PlotlyHtml.LocateScript(), Path.Combine(temp, "assets", "plotly.min.js"));
        bool katex = CopyKatex(layout, Path.Combine(temp, "assets", "katex"));
        File.WriteAllText(Path.Combine(temp, "assets", "book.css"), Css);

        for (int i = 0; i < chapters.Count; i++)
            File.WriteAllText(Path.Combine(temp, PageName(chapters[i])), ChapterPage(chapters, i, katex));
        File.WriteAllText(Path.Combine(temp, "index.html"), IndexPage(chapters, ResultsTable(Results.All()), katex));

        if (Directory.Exists(layout.Book)) Directory.Delete(layout.Book, true);
        Directory.Move(temp, layout.Book);
        return Path.Combine(layout.Book, "index.html");
    }

    public static List<Chapter> LoadChapters(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f =>
        {
            var doc = NotebookDocument.Load(f);
            var failed = doc.Cells.Any(c => c.IsCode && c.Outputs.OfType<JsonObject>().Any(o => o["output_type"]?.GetValue<string>() == "error"));
            return new Chapter(Path.GetRelativePath(folder, f), TitleOf(doc, f), doc, failed);
        }).ToList();
    }

    /// <summary>The first markdown heading of the notebook, else its file name.</summary>
    public static string TitleOf(NotebookDocument doc, string file)
    {
        foreach (var cell in doc.Cells.Where(c => c.CellType == "markdown"))
            foreach (var line in cell.Source.Split('\n'))
                if (line.StartsWith('#')) return line.TrimStart('#').Trim();
        return Path.GetFileNameWithoutExtension(file);
    }

    private static string PageName(Chapter c) => Path.ChangeExtension(c.File.Replace('/', '-'), ".html");

    /// <summary>Every chapter's recorded results (the results store) as one table, or null when there are none.</summary>
    public static Table? ResultsTable(IEnumerable<ChapterResults> chapters)
    {
        var rows = chapters.SelectMany(c => c.Items.Select(r => new object?[] { c.Chapter, r.Metric, r.Value, r.Seconds, r.Device })).ToList();
        return rows.Count == 0 ? null : new Table(["chapter", "metric", "value", "seconds", "device"], rows);
    }

    private static bool CopyKatex(RepoLayout layout, string dest)
    {
        var dist = Path.Combine(layout.NpmModules, "katex", "dist");
        if (!File.Exists(Path.Combine(dist, "katex.min.js"))) return false;
        Directory.CreateDirectory(Path.Combine(dest, "fonts"));
        foreach (var f in new[] { "katex.min.js", "katex.min.css" }) File.Copy(Path.Combine(dist, f), Path.Combine(dest, f));
        File.Copy(Path.Combine(dist, "contrib", "auto-render.min.js"), Path.Combine(dest, "auto-render.min.js"));
        foreach (var font in Directory.EnumerateFiles(Path.Combine(dist, "fonts"), "*.woff2"))
            File.Copy(font, Path.Combine(dest, "fonts", Path.GetFileName(font)));
        return true;
    }

    private static string Head(string title, bool katex)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append($"<title>{Enc(title)}</title><link rel=\"stylesheet\" href=\"assets/book.css\">");
        sb.Append("<script src=\"assets/plotly.min.js\"></script>");
        sb.Append("<script type=\"text/javascript\">").Append(TableSort.Script).Append("</script>");
        if (katex)
            sb.Append("<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\"><script defer src=\"assets/katex/katex.min.js\"></script>" +
                      "<script defer src=\"assets/katex/auto-render.min.js\" onload=\"renderMathInElement(document.body,{delimiters:[{left:'\\\\[',right:'\\\\]',display:true},{left:'\\\\(',right:'\\\\)',display:false}],throwOnError:false})\"></script>");
        sb.Append("</head><body><main>\n");
        return sb.ToString();
    }

    private const string Foot = "\n</main></body></html>\n";

    private static string IndexPage(List<Chapter> chapters, Table? results, bool katex)
    {
        var sb = new StringBuilder(Head("Deep learning in C#", katex));
        sb.Append("<h1>Deep learning in C#</h1>\n<p>The executed course: every chapter below ran end to end when this book was built.</p>\n<h2>Chapters</h2>\n<ol class=\"chapters\">\n");
        foreach (var c in chapters)
        {
            var run = c.Document.Metadata["course"];
            var seconds = run?["seconds"]?.GetValue<double>();
            var mode = run?["fast"]?.GetValue<bool>() == true ? ", fast mode" : "";
            var facts = seconds is { } s ? $" <span class=\"facts\">({s:F1}s{mode})</span>" : "";
            sb.Append($"<li><a href=\"{Enc(PageName(c))}\">{Enc(c.Title)}</a>{facts}{(c.Failed ? " <span class=\"failed\">(failed)</span>" : "")}</li>\n");
        }
        sb.Append("</ol>\n");
        if (chapters.Count == 0) sb.Append("<p>No executed notebooks yet: run <code>./course run</code>.</p>\n");
        if (results is not null)
        {
            results.MaxRows = int.MaxValue;
            sb.Append("<h2>Results</h2>\n<p>Metrics the chapters recorded in their full runs (artifacts/results/).</p>\n").Append(results.ToHtml()).Append('\n');
        }
        sb.Append($"<p class=\"built\">Built {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.</p>");
        return sb.Append(Foot).ToString();
    }

    private static string ChapterPage(List<Chapter> chapters, int index, bool katex)
    {
        var chapter = chapters[index];
        var sb = new StringBuilder(Head(chapter.Title, katex));
        sb.Append(Nav(chapters, index));
        foreach (var cell in chapter.Document.Cells)
        {
            if (cell.CellType == "markdown") sb.Append("<section class=\"md\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
            else if (cell.IsCode)
            {
                var count = cell.ExecutionCount?.ToString() ?? " ";
                sb.Append($"<section class=\"code\"><div class=\"prompt\">[{count}]</div><pre class=\"src\"><code class=\"language-csharp\">{Enc(cell.Source)}</code></pre>\n");
                foreach (var output in cell.Outputs.OfType<JsonObject>()) sb.Append(RenderOutput(output));
                sb.Append("</section>\n");
            }
        }
        sb.Append(Nav(chapters, index));
        return sb.Append(Foot).ToString();
    }

    private static string Nav(List<Chapter> chapters, int i)
    {
        var sb = new StringBuilder("<nav>");
        sb.Append(i > 0 ? $"<a href=\"{Enc(PageName(chapters[i - 1]))}\">&larr; {Enc(chapters[i - 1].Title)}</a>" : "<span></span>");
        sb.Append("<a href=\"index.html\">contents</a>");
        sb.Append(i + 1 < chapters.Count ? $"<a href=\"{Enc(PageName(chapters[i + 1]))}\">{Enc(chapters[i + 1].Title)} &rarr;</a>" : "<span></span>");
        return sb.Append("</nav>\n").ToString();
    }

    /// <summary>One nbformat output as HTML (richest representation first; the plotly loader is skipped, the page has it).</summary>
    public static string RenderOutput(JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() ?? "stdout";
                return $"<pre class=\"out {name}\">{Enc(NotebookCell.JoinText(output["text"]))}</pre>\n";
            case "error":
                var tb = (output["traceback"] as JsonArray)?.Select(t => t?.GetValue<string>()) ?? [];
                return $"<pre class=\"out error\">{Enc(string.Join("\n", tb))}</pre>\n";
            case "display_data" or "execute_result":
                if (output["metadata"]?[PageAsset.MetadataKey] is not null) return "";
                if (output["data"] is not JsonObject data) return "";
                if (data[MimeTypes.Html] is { } html) return $"<div class=\"out html\">{NotebookCell.JoinText(html)}</div>\n";
                if (data[MimeTypes.Png] is { } png) return $"<div class=\"out\"><img src=\"data:image/png;base64,{NotebookCell.JoinText(png).Trim()}\" alt=\"output\"></div>\n";
                if (data[MimeTypes.Svg] is { } svg) return $"<div class=\"out\">{NotebookCell.JoinText(svg)}</div>\n";
                if (data[MimeTypes.Markdown] is { } md) return $"<div class=\"out md\">{Markdig.Markdown.ToHtml(NotebookCell.JoinText(md), Markdown)}</div>\n";
                if (data[MimeTypes.PlainText] is { } text) return $"<pre class=\"out\">{Enc(NotebookCell.JoinText(text))}</pre>\n";
                return "";
            default:
                return "";
        }
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private const string Css = OutputStyles.Page + """
        h1 { font-size: 2em; border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
        nav { display: flex; justify-content: space-between; margin: 12px 0 24px; font-size: .95em; }
        a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
        section.code { margin: 14px 0; position: relative; }
        .prompt { color: #6e7781; font: 12px monospace; margin-bottom: 2px; }
        pre { margin: 0; padding: 10px 12px; overflow-x: auto; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border-radius: 6px; }
        pre.src { background: #f6f8fa; border: 1px solid #d0d7de; }
        pre.out { background: #fff; border-left: 3px solid #d0d7de; border-radius: 0; margin-top: 4px; white-space: pre-wrap; }

        """ + OutputStyles.Outputs + """
        .failed { color: #cf222e; font-weight: bold; }
        .facts { color: #6e7781; font-size: .85em; }
        .built { color: #6e7781; font-size: .85em; margin-top: 40px; }
        ol.chapters li { margin: 6px 0; font-size: 1.1em; }
        """;
}
