using System.Globalization;
using System.Net;
using Course.Display;

namespace Course;

/// <summary>
/// Shipped weights that have been loaded into a model: shows as "loaded, not trained", where the weights came from,
/// and the numbers the full run that produced them recorded (a <see cref="Table"/>).
/// </summary>
public sealed class PretrainedCheckpoint : IMimeRenderable
{
    internal PretrainedCheckpoint(PretrainedManifest manifest, string path)
    {
        Manifest = manifest;
        Path = path;
    }

    public PretrainedManifest Manifest { get; }

    /// <summary>The weights file that was loaded.</summary>
    public string Path { get; }

    /// <summary>How long the full run trained (the seconds it recorded with its headline metric).</summary>
    public double TrainingSeconds => Manifest.Headline.Seconds;

    /// <summary>The value the full run recorded for <paramref name="metric"/>; an unknown one is an error listing the recorded ones.</summary>
    public double Recorded(string metric) => (Manifest.Recorded.FirstOrDefault(r => r.Metric == metric)
        ?? throw new KeyNotFoundException($"the full run of {Manifest.ResultsChapter} recorded no '{metric}' (it has: {string.Join(", ", Manifest.Recorded.Select(r => r.Metric))}).")).Value;

    /// <summary>The full run's recorded numbers: metric, value, training minutes, device.</summary>
    public Table Metrics() => Table.From(Manifest.Recorded.Select(r => new
    {
        metric = r.Metric,
        value = Math.Round(r.Value, 4),
        training_minutes = Math.Round(r.Seconds / 60, 1),
        device = r.Device,
    }));

    /// <summary>One sentence: what was loaded, from where, and that nothing was trained.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"Loaded, not trained: {Manifest.Name} ({Manifest.Parameters:N0} parameters) from checkpoints/{Manifest.File} " +
        $"({Manifest.Bytes / 1e6:F2} MB, {Manifest.Storage}, SHA-256 verified): the weights that the full run of {Manifest.Chapter} on " +
        $"{Manifest.FullRunUtc:yyyy-MM-dd HH:mm} UTC produced in {TrainingSeconds / 60:F1} min of training. The numbers that run recorded " +
        $"(checked when the file was packaged: {Manifest.Subset.Metric} {Manifest.Subset.Value:F4} on the first {Manifest.Subset.Count:N0} {Manifest.Subset.Split} examples):");

    public MimeBundle ToMimeBundle()
    {
        var table = Metrics();
        var html = "<div class=\"course-pretrained\"><p><strong>Loaded, not trained.</strong> " +
                   WebUtility.HtmlEncode(Summary()["Loaded, not trained: ".Length..]) + "</p>" + table.ToHtml() + "</div>";
        return new MimeBundle().With(MimeTypes.PlainText, ToString()).With(MimeTypes.Html, html).Require(TableSort.Asset);
    }

    public override string ToString() => Summary() + "\n" + Metrics().ToText();
}
