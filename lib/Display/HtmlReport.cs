using System.Net;
using System.Text;

namespace Course.Display;

/// <summary>
/// A display target that writes one HTML page: what a program (a chapter exported as a file-based app) displays,
/// in order, with console text between the displays, as a notebook shows a cell's outputs. Values are formatted by
/// <see cref="Formatter"/> as in a notebook, and each page asset an output requires (plotly.js, the table sorter) is
/// loaded once, before the first output that needs it, as the notebook engine does. <see cref="DisplayHandle.Update"/>
/// replaces an output in place (a progress view shows its last state).
/// The page is written to <see cref="Path"/> by <see cref="Write"/> (through a temporary file and a rename), and at most
/// every <see cref="WriteInterval"/> while outputs come in, so a long run can be watched.
/// </summary>
public sealed class HtmlReport : IDisplayTarget
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly System.Diagnostics.Stopwatch _sinceWrite = System.Diagnostics.Stopwatch.StartNew();

    /// <param name="path">The HTML file to write.</param>
    /// <param name="title">The page title.</param>
    public HtmlReport(string path, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(title);
        Path = System.IO.Path.GetFullPath(path);
        Title = title;
    }

    public string Path { get; }
    public string Title { get; }

    /// <summary>Least time between two writes while outputs come in (<see cref="Write"/> always writes).</summary>
    public TimeSpan WriteInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A program has no interrupt button: never signalled.</summary>
    public CancellationToken Cancellation => CancellationToken.None;

    /// <summary>How many outputs (displays and runs of console text) the page holds.</summary>
    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    public DisplayHandle Display(object? value, params string[] mimeTypes)
    {
        var bundle = Formatter.Format(value, mimeTypes ?? []);
        var id = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            var entry = new Entry(bundle, null);
            _entries.Add(entry);
            _byId[id] = entry;
        }
        WriteIfDue();
        return new DisplayHandle(id, Update);

        void Update(object? newValue, string[] newMimeTypes)
        {
            var updated = Formatter.Format(newValue, newMimeTypes ?? []);
            lock (_gate) _byId[id].Bundle = updated;
            WriteIfDue();
        }
    }

    /// <summary>Console text written to <paramref name="stream"/> (stdout or stderr); consecutive text of one stream forms one block.</summary>
    public void WriteText(string stream, string text)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (string.IsNullOrEmpty(text)) return;
        lock (_gate)
        {
            if (_entries.Count > 0 && _entries[^1] is { Stream: { } last } tail && last == stream) tail.Text.Append(text);
            else _entries.Add(new Entry(null, stream).Append(text));
        }
        WriteIfDue();
    }

    /// <summary>An error that ended the program, shown as a notebook shows a failed cell's error.</summary>
    public void WriteError(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate) _entries.Add(new Entry(null, "error").Append(exception.ToString()));
    }

    /// <summary>The page as it stands.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>").Append(WebUtility.HtmlEncode(Title)).Append("</title><style>").Append(Css).Append("</style></head><body><main>\n");
        sb.Append("<h1>").Append(WebUtility.HtmlEncode(Title)).Append("</h1>\n");
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var entry in _entries)
            {
                if (entry.Bundle is { } bundle)
                {
                    foreach (var asset in bundle.Requires.Where(a => loaded.Add(a.Name)))
                        sb.Append(asset.Loader().GetText(MimeTypes.Html)).Append('\n');
                    sb.Append(Render(bundle));
                }
                else sb.Append($"<pre class=\"out {entry.Stream}\">").Append(WebUtility.HtmlEncode(entry.Text.ToString())).Append("</pre>\n");
            }
        }
        return sb.Append("</main></body></html>\n").ToString();
    }

    /// <summary>Writes the page now (through a temporary file and a rename, so a reader never sees half a page).</summary>
    public void Write()
    {
        var html = ToHtml();
        lock (_sinceWrite)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temp = Path + $".tmp-{Environment.ProcessId}";
            File.WriteAllText(temp, html, new UTF8Encoding(false));
            File.Move(temp, Path, overwrite: true);
            _sinceWrite.Restart();
        }
    }

    private void WriteIfDue()
    {
        if (_sinceWrite.Elapsed >= WriteInterval) Write();
    }

    /// <summary>One output as HTML, the richest representation first (HTML, PNG, SVG, then text).</summary>
    private static string Render(MimeBundle bundle)
    {
        if (bundle.GetText(MimeTypes.Html) is { } html) return $"<div class=\"out html\">{html}</div>\n";
        if (bundle.GetText(MimeTypes.Png) is { } png) return $"<div class=\"out\"><img src=\"data:image/png;base64,{png.Trim()}\" alt=\"output\"></div>\n";
        if (bundle.GetText(MimeTypes.Svg) is { } svg) return $"<div class=\"out\">{svg}</div>\n";
        var text = bundle.GetText(MimeTypes.PlainText) ?? bundle.GetText(MimeTypes.Markdown) ?? bundle.ToString();
        return $"<pre class=\"out\">{WebUtility.HtmlEncode(text)}</pre>\n";
    }

    private sealed class Entry(MimeBundle? bundle, string? stream)
    {
        public MimeBundle? Bundle { get; set; } = bundle;
        public string? Stream { get; } = stream;
        public StringBuilder Text { get; } = new();

        public Entry Append(string text)
        {
            Text.Append(text);
            return this;
        }
    }

    private const string Css = OutputStyles.Page + """
        pre { margin: 4px 0; padding: 10px 12px; overflow-x: auto; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border-left: 3px solid #d0d7de; white-space: pre-wrap; }

        """ + OutputStyles.Outputs;
}
