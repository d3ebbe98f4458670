namespace Course;

/// <summary>
/// Packages what a chapter's full run left in artifacts/ (its checkpoint in artifacts/checkpoints/, its numbers in
/// artifacts/results/) into checkpoints/: checks that the weights are that run's (they must score the recorded test
/// metric on the whole test split), measures the test subset the CI check repeats, copies the file and writes its
/// manifest. <c>./course checkpoints</c> calls it after running the chapters in full mode.
/// </summary>
public static class CheckpointPackaging
{
    /// <summary>The test subset's size: 2,000 images put one standard error of an accuracy near 0.9 at 0.7 points, and take about a second to score on 2 cores.</summary>
    public const int DefaultSubsetCount = 2000;

    /// <summary>
    /// How far the whole test split may score from the recorded metric before the weights are refused as not the
    /// recorded run's: 10 of 10,000 images (the same weights on another machine or thread count can flip a near tie).
    /// </summary>
    public const double SameRunTolerance = 0.001;

    /// <summary>
    /// Packages <paramref name="model"/>'s full-run checkpoint; returns the manifest written. When
    /// <paramref name="producedAfterUtc"/> is given, a checkpoint older than that (not written by the run that started
    /// then) is refused, as is a missing one, a missing results file, or weights that do not score the recorded metric.
    /// </summary>
    public static PretrainedManifest Package(PretrainedModel model, PretrainedData data, int subsetCount = DefaultSubsetCount,
        DateTime? producedAfterUtc = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var source = Checkpoints.PathOf(model.Name);
        if (!File.Exists(source))
            throw new FileNotFoundException($"{model.Chapter}'s full run did not produce its checkpoint {source}: run './course checkpoints {Path.GetFileNameWithoutExtension(model.Chapter)}' (a full run) first.", source);
        var written = File.GetLastWriteTimeUtc(source);
        if (producedAfterUtc is { } start && written < start)
            throw new InvalidOperationException($"{model.Chapter}'s full run did not write {source}: the file is from {written:yyyy-MM-dd HH:mm:ss} UTC, before the run started ({start:yyyy-MM-dd HH:mm:ss} UTC).");
        var results = Results.Load(model.ResultsChapter)
            ?? throw new FileNotFoundException($"{model.Chapter}'s full run recorded no results (artifacts/results/{model.ResultsChapter}.json is missing), so its checkpoint has no numbers to ship with.");
        var headline = results[model.HeadlineMetric];

        using var scope = torch.NewDisposeScope();
        var dataOptions = model.DataOptions(data);
        using var module = model.Create(dataOptions);
        Checkpoints.LoadWeights(module, source);   // names the file when the weights are of another architecture
        var options = new Dictionary<string, string>(dataOptions);
        foreach (var (key, value) in model.ChooseOptions(module, data, dataOptions)) options[key] = value;
        double whole = model.EvaluateSubset(module, data.Test, (int)data.Test.Count, options);
        log?.WriteLine($"{model.Name}: {model.SubsetMetric} on the whole test split {whole:F4}, recorded {model.HeadlineMetric} {headline.Value:F4} ({results.Provenance})");
        if (Math.Abs(whole - headline.Value) > SameRunTolerance)
            throw new InvalidDataException($"{source} scores {whole:F4} on the whole test split, not the {headline.Value:F4} that {results.Provenance} recorded as {model.HeadlineMetric}: these are not that run's weights (run the chapter in full mode again).");
        double subset = model.EvaluateSubset(module, data.Test, subsetCount, options);

        // what float16 storage would do to the same subset (the weights rounded to half precision, evaluated in float32)
        module.to(ScalarType.Float16);
        module.to(ScalarType.Float32);
        double half = model.EvaluateSubset(module, data.Test, subsetCount, options);
        log?.WriteLine($"{model.Name}: subset of {subsetCount:N0}: {subset:F4} in float32, {half:F4} with the weights rounded to float16");

        Directory.CreateDirectory(Pretrained.Folder);
        var target = Pretrained.PathOf(model.Name);
        var tmp = target + ".tmp-" + Environment.ProcessId;
        try
        {
            File.Copy(source, tmp, overwrite: true);
            File.Move(tmp, target, overwrite: true);
        }
        finally { File.Delete(tmp); }
        long bytes = new FileInfo(target).Length;
        long parameters = module.parameters().Sum(p => p.numel());
        var sizeNote = $"{bytes / 1e6:F2} MB: {parameters:N0} parameters and the normalisation buffers stored as float32 (4 bytes each), " +
                       $"under the repository's limit of a few MB per file, so plain git carries it (no LFS). Float16 storage would halve it " +
                       $"(the subset scores {half:F4} with the weights rounded to float16, {subset:F4} in float32); float32 is kept so that the " +
                       $"loaded model is exactly the full run's.";
        var manifest = new PretrainedManifest(model.Name, model.Chapter, model.Architecture, parameters,
            Path.GetFileName(target), bytes, Pretrained.Sha256(target), "float32", sizeNote,
            model.ResultsChapter, results.RecordedUtc, model.HeadlineMetric, results.Items,
            new PretrainedSubset("test", subsetCount, model.SubsetMetric, subset,
                model.SubsetDefinition.Replace("{count}", subsetCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)), options),
            DateTime.UtcNow);
        manifest.Save(Pretrained.ManifestPathOf(model.Name));
        return manifest;
    }
}
