namespace Course;

/// <summary>
/// Weights that <see cref="Checkpoints.TryLoadOwnOrShipped"/> loaded: this machine's own full run's checkpoint
/// (artifacts/checkpoints/) or, when there was none, the kit's shipped copy of the recorded full run (checkpoints/).
/// </summary>
/// <param name="Name">the checkpoint's name, e.g. "vit"</param>
/// <param name="File">the file that was loaded</param>
/// <param name="WrittenUtc">when the full run wrote the weights</param>
/// <param name="Shipped">the shipped file's manifest; null for this machine's own checkpoint</param>
public sealed record LoadedCheckpoint(string Name, string File, DateTime WrittenUtc, PretrainedManifest? Shipped)
{
    /// <summary>
    /// A number the full run that made the weights recorded: from this machine's results
    /// (artifacts/results/&lt;name&gt;.json) or the shipped manifest; null when it was not recorded.
    /// </summary>
    public double? Recorded(string metric) => Shipped is { } manifest
        ? manifest.Recorded.FirstOrDefault(r => r.Metric == metric)?.Value
        : Results.Load(Name)?.Find(metric)?.Value;

    /// <summary>Where the weights came from, in one phrase.</summary>
    public override string ToString() => Shipped is { } manifest
        ? $"the shipped checkpoints/{manifest.File}, from the recorded full run of {WrittenUtc:yyyy-MM-dd}"
        : $"{File}, saved {WrittenUtc:yyyy-MM-dd HH:mm} UTC by a full run on this machine";
}
