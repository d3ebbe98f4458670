using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Course.Display;

/// <summary>
/// Progress of a loop, with an optional loss per step. In a notebook it shows one output that is updated in place:
/// a progress bar, the latest loss and a loss curve. In a terminal it writes a text progress bar to stderr.
/// <code>
/// using var progress = Progress.Start(steps, "training");
/// for (int i = 0; i &lt; steps; i++) { ...; progress.Step(loss); }
/// </code>
/// Each report also checks for an interrupt from the notebook front end.
/// </summary>
public sealed class Progress : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(int Step, double Loss)> _losses = new();
    private readonly IDisplayTarget? _target;
    private readonly DisplayHandle? _handle;
    private readonly bool _chart;
    private TimeSpan _lastDraw = TimeSpan.FromDays(-1);
    private TimeSpan _lastTerminal = TimeSpan.Zero;
    private int _done;
    private bool _finished;

    private Progress(int total, string label, bool chart)
    {
        Total = total;
        Label = label;
        _chart = chart;
        _target = Output.Current;
        _handle = _target?.Display(View());
        if (_target is null) DrawTerminal(force: true);
    }

    /// <summary>Starts showing progress over <paramref name="total"/> steps.</summary>
    public static Progress Start(int total, string label = "progress", bool chart = true)
    {
        if (total <= 0) throw new ArgumentOutOfRangeException(nameof(total), total, "total must be positive.");
        return new Progress(total, label ?? "", chart);
    }

    public int Total { get; }
    public string Label { get; }
    public int Done => _done;
    public IReadOnlyList<(int Step, double Loss)> Losses => _losses;

    /// <summary>Least time between two redraws (the last step is always drawn).</summary>
    public TimeSpan RedrawInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Marks one more step done, optionally with its loss.</summary>
    public void Step(double? loss = null) => Report(_done + 1, loss);

    /// <summary>Reports that <paramref name="done"/> steps are done (1..Total), optionally with the current loss.</summary>
    public void Report(int done, double? loss = null)
    {
        Output.ThrowIfInterrupted();
        if (done < 0 || done > Total) throw new ArgumentOutOfRangeException(nameof(done), done, $"done must be between 0 and {Total}.");
        _done = done;
        if (loss is { } l) _losses.Add((done, l));
        bool last = done == Total;
        if (!last && _clock.Elapsed - _lastDraw < RedrawInterval) return;
        Draw(last);
    }

    /// <summary>Draws the final state (also called by Dispose).</summary>
    public void Finish()
    {
        if (_finished) return;
        Draw(true);
    }

    public void Dispose() => Finish();

    private void Draw(bool final)
    {
        _lastDraw = _clock.Elapsed;
        if (_handle is not null) _handle.Update(View());
        else DrawTerminal(final);
        if (final) _finished = true;
    }

    private string Summary()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{_done}/{Total}");
        if (_losses.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"  loss {_losses[^1].Loss:G4}");
        sb.Append(CultureInfo.InvariantCulture, $"  {_clock.Elapsed.TotalSeconds:F1}s");
        return sb.ToString();
    }

    /// <summary>The text bar, e.g. "training [#######.............] 35/100  loss 0.4123  1.2s".</summary>
    public string ToText(int width = 30)
    {
        int filled = (int)Math.Round(width * (double)_done / Total);
        return $"{Label} [{new string('#', filled)}{new string('.', width - filled)}] {Summary()}".TrimStart();
    }

    private MimeBundle View()
    {
        double pct = 100.0 * _done / Total;
        var html = new StringBuilder();
        html.Append("<div class=\"course-progress\" style=\"font-family:sans-serif;font-size:13px\">");
        html.Append(CultureInfo.InvariantCulture, $"<span>{WebUtility.HtmlEncode(Label)}</span> ");
        html.Append(CultureInfo.InvariantCulture,
            $"<progress value=\"{_done}\" max=\"{Total}\" style=\"width:300px;vertical-align:middle\"></progress> ");
        html.Append(CultureInfo.InvariantCulture, $"<span>{pct:F0}% &middot; {WebUtility.HtmlEncode(Summary())}</span></div>");
        var bundle = new MimeBundle().With(MimeTypes.PlainText, ToText());
        if (_chart) bundle.Require(PlotlyHtml.Asset); // plotly.js is loaded before the first view, ready for the curve
        if (_chart && _losses.Count > 0)
        {
            var chart = Chart.Line(_losses.Select(p => p.Step), _losses.Select(p => p.Loss), "loss")
                .WithXLabel("step").WithYLabel("loss").WithSize(640, 300);
            chart.Layout["margin"] = new System.Text.Json.Nodes.JsonObject { ["l"] = 50, ["r"] = 10, ["t"] = 10, ["b"] = 40 };
            var figure = chart.ToFigure();
            html.Append(PlotlyHtml.Figure(figure));
            bundle.Metadata[PlotlyHtml.FigureMetadataKey] = figure;
            bundle.Require(PlotlyHtml.Asset);
        }
        return bundle.With(MimeTypes.Html, html.ToString());
    }

    private void DrawTerminal(bool force)
    {
        if (!force && _done != Total && _clock.Elapsed - _lastTerminal < TimeSpan.FromSeconds(1)) return;
        _lastTerminal = _clock.Elapsed;
        var err = Console.Error;
        if (Console.IsErrorRedirected) { if (force || _done == Total) err.WriteLine(ToText()); }
        else { err.Write("\r" + ToText()); if (_done == Total) err.WriteLine(); }
    }
}
