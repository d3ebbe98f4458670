using System.Text;

namespace Course.Display;

/// <summary>
/// Console text that goes both to the console and into an <see cref="HtmlReport"/> (as a notebook keeps a cell's
/// printed text among its outputs). <see cref="AppGlobals.Start"/> puts one on stdout and one on stderr.
/// </summary>
public sealed class ReportConsoleWriter : TextWriter
{
    private readonly TextWriter _console;
    private readonly HtmlReport _report;
    private readonly string _stream;

    /// <param name="console">The console writer text still goes to.</param>
    /// <param name="report">The report that receives a copy.</param>
    /// <param name="stream">"stdout" or "stderr".</param>
    public ReportConsoleWriter(TextWriter console, HtmlReport report, string stream)
    {
        _console = console ?? throw new ArgumentNullException(nameof(console));
        _report = report ?? throw new ArgumentNullException(nameof(report));
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
    }

    public override Encoding Encoding => _console.Encoding;

    public override void Write(char value)
    {
        _console.Write(value);
        _report.WriteText(_stream, value.ToString());
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        _console.Write(value);
        _report.WriteText(_stream, value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush() => _console.Flush();
}
