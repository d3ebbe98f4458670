using Course;
using Course.Models;

namespace Models.Tests;

/// <summary>The Fashion-MNIST test split the subset evaluations read, loaded once for the whole class.</summary>
public sealed class PretrainedDataFixture : IDisposable
{
    public PretrainedData Data { get; } = new();
    public void Dispose() => Data.Dispose();
}

/// <summary>
/// The checkpoints that ship in checkpoints/: each is the file its manifest describes (SHA-256), loads into the
/// architecture its chapter builds, scores on the recorded test subset what the manifest says (the same weights, the
/// same images, on the CPU: within one image), and that score is within binomial noise (3 standard errors) of the full
/// run's recorded test metric. Also: a damaged, missing or mismatched file is an error naming it, and packaging refuses
/// what a full run did not produce.
/// </summary>
public class ShippedCheckpointsTests : IClassFixture<PretrainedDataFixture>
{
    private readonly PretrainedData _data;

    public ShippedCheckpointsTests(PretrainedDataFixture fixture) => _data = fixture.Data;

    [Fact]
    public void TheShippedFilesAreTheCataloguesAndSmall()
    {
        var files = Directory.GetFiles(Pretrained.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var expected = PretrainedModels.All.SelectMany(m => new[] { m.Name + ".json", m.Name + ".safetensors" }).Append("README.md").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, files);
        foreach (var model in PretrainedModels.All)
            Assert.InRange(new FileInfo(Pretrained.PathOf(model.Name)).Length, 1, 4_000_000);   // "nothing over a few MB per file"
    }

    [Theory]
    [InlineData("lenet")]
    [InlineData("vit")]
    [InlineData("clip")]
    public void AShippedCheckpointLoadsAndScoresItsManifestsSubsetWithinNoiseOfItsFullRun(string name)
    {
        using var scope = torch.NewDisposeScope();
        var model = PretrainedModels.Get(name);
        var manifest = Pretrained.Manifest(name);
        using var module = model.Create(manifest.Subset.Options);
        Assert.Equal(manifest.Sha256, Pretrained.Load(module, name).Manifest.Sha256);   // SHA-256 and architecture checked here
        Assert.Equal(model.Chapter, manifest.Chapter);
        Assert.Equal(model.HeadlineMetric, manifest.HeadlineMetric);
        Assert.Equal(module.num_parameters(), manifest.Parameters);

        double subset = model.EvaluateSubset(module, _data.Test, manifest.Subset.Count, manifest.Subset.Options);
        Assert.InRange(Math.Abs(subset - manifest.Subset.Value), 0, 1.0 / manifest.Subset.Count + 1e-12);

        double recorded = manifest.Headline.Value;
        Assert.InRange(Math.Abs(subset - recorded), 0, 3 * manifest.Subset.StandardError(recorded));
    }

    [Fact]
    public void ADamagedMissingOrMismatchedCheckpointIsAnErrorNamingTheFile()
    {
        using var root = new TempFolder("course-shipped");
        var saved = Environment.GetEnvironmentVariable("COURSE_ROOT");
        var shipped = Pretrained.Folder;
        try
        {
            Environment.SetEnvironmentVariable("COURSE_ROOT", root.FullName);
            Directory.CreateDirectory(Pretrained.Folder);
            var weights = Pretrained.PathOf("lenet");

            var missing = Assert.Throws<FileNotFoundException>(() => Pretrained.Load(new LeNet(width: 32), "lenet"));
            Assert.Contains(weights, missing.Message);

            File.Copy(Path.Combine(shipped, "lenet.safetensors"), weights);
            File.Copy(Path.Combine(shipped, "lenet.json"), Pretrained.ManifestPathOf("lenet"));
            Assert.NotNull(Pretrained.Load(new LeNet(width: 32), "lenet"));   // the copy itself is fine

            var wrongArchitecture = Assert.Throws<InvalidDataException>(() => Pretrained.Load(new LeNet(width: 16), "lenet"));
            Assert.Contains(weights, wrongArchitecture.Message);

            var bytes = File.ReadAllBytes(weights);
            bytes[^1] ^= 0x40;   // one bit of the last weight
            File.WriteAllBytes(weights, bytes);
            var damaged = Assert.Throws<InvalidDataException>(() => Pretrained.Load(new LeNet(width: 32), "lenet"));
            Assert.Contains(weights, damaged.Message);
            Assert.Contains("SHA-256", damaged.Message);

            File.WriteAllText(Pretrained.ManifestPathOf("lenet"), "{\"name\": \"lenet\"}");
            var manifest = Assert.Throws<InvalidDataException>(() => Pretrained.Load(new LeNet(width: 32), "lenet"));
            Assert.Contains(Pretrained.ManifestPathOf("lenet"), manifest.Message);
        }
        finally { Environment.SetEnvironmentVariable("COURSE_ROOT", saved); }
    }

    /// <summary>
    /// A stand-in model for the packaging rules: a linear layer whose "accuracy" is a number the test sets, so the
    /// rules are checked without training or scoring anything.
    /// </summary>
    private static PretrainedModel Stand(Func<double> score) => new(
        "layer", "notebooks/99-layer.ipynb", "layer", "test_accuracy", "nn.Linear(4, 3)", "accuracy", "the first {count} test images",
        _ => new Dictionary<string, string> { ["mean"] = "0.5" },
        _ => nn.Linear(4, 3),
        (_, _, _) => new Dictionary<string, string> { ["prompts"] = "none" },
        (_, _, count, options) => { Assert.Equal("0.5", options["mean"]); Assert.Equal("none", options["prompts"]); return score(); });

    [Fact]
    public void PackagingRefusesWhatAFullRunDidNotProduceAndShipsWhatItDid()
    {
        using var root = new TempFolder("course-package");
        var saved = Environment.GetEnvironmentVariable("COURSE_ROOT");
        try
        {
            Environment.SetEnvironmentVariable("COURSE_ROOT", root.FullName);
            var model = Stand(() => 0.9);
            var missing = Assert.Throws<FileNotFoundException>(() => CheckpointPackaging.Package(model, _data));
            Assert.Contains("did not produce", missing.Message);
            Assert.Contains(Checkpoints.PathOf("layer"), missing.Message);

            torch.manual_seed(0);
            var trained = nn.Linear(4, 3);
            Checkpoints.Save(trained, "layer");
            var stale = Assert.Throws<InvalidOperationException>(() => CheckpointPackaging.Package(model, _data, producedAfterUtc: DateTime.UtcNow.AddMinutes(1)));
            Assert.Contains("did not write", stale.Message);

            var noResults = Assert.Throws<FileNotFoundException>(() => CheckpointPackaging.Package(model, _data));
            Assert.Contains("layer.json", noResults.Message);

            Results.Save("layer", [new Result("test_accuracy", 0.9, 60, "cpu"), new Result("validation_accuracy", 0.91, 60, "cpu")]);
            var notTheRun = Assert.Throws<InvalidDataException>(() => CheckpointPackaging.Package(Stand(() => 0.9 - 0.0011), _data));
            Assert.Contains("not that run's weights", notTheRun.Message);
            Assert.False(Directory.Exists(Pretrained.Folder) && Directory.EnumerateFiles(Pretrained.Folder).Any());   // nothing shipped

            var manifest = CheckpointPackaging.Package(Stand(() => 0.9 - 0.0009), _data, subsetCount: 100);   // within 10 of 10,000 images
            var read = PretrainedManifest.Read(Pretrained.ManifestPathOf("layer"));
            Assert.Equal(manifest.Recorded, read.Recorded);
            Assert.Equal((manifest.Sha256, manifest.Bytes, manifest.Subset.Value, manifest.Subset.Definition), (read.Sha256, read.Bytes, read.Subset.Value, read.Subset.Definition));
            Assert.Equal("the first 100 test images", read.Subset.Definition);
            Assert.Equal(Pretrained.Sha256(Checkpoints.PathOf("layer")), manifest.Sha256);
            Assert.Equal(new FileInfo(Checkpoints.PathOf("layer")).Length, manifest.Bytes);
            Assert.Equal((100, 0.8991, "0.5", "none"), (manifest.Subset.Count, manifest.Subset.Value, manifest.Subset.Options["mean"], manifest.Subset.Options["prompts"]));
            Assert.Equal(15, manifest.Parameters);
            Assert.Equal(0.9, manifest.Headline.Value);
            var loaded = nn.Linear(4, 3);
            var shown = Pretrained.Load(loaded, "layer");
            Assert.True(loaded.weight.allclose(trained.weight, rtol: 0, atol: 0));
            Assert.Contains("Loaded, not trained", shown.ToString());
            Assert.Contains("validation_accuracy", shown.ToString());
            Assert.Equal(60, shown.TrainingSeconds);
        }
        finally { Environment.SetEnvironmentVariable("COURSE_ROOT", saved); }
    }

    [Fact]
    public void PretrainedModeIsOneOrZeroAndExcludesFastMode()
    {
        var (fast, pretrained) = (Environment.GetEnvironmentVariable("COURSE_FAST"), Environment.GetEnvironmentVariable("COURSE_PRETRAINED"));
        try
        {
            Environment.SetEnvironmentVariable("COURSE_FAST", null);
            Environment.SetEnvironmentVariable("COURSE_PRETRAINED", null);
            Assert.False(Env.Pretrained);
            Environment.SetEnvironmentVariable("COURSE_PRETRAINED", "1");
            Assert.True(Env.Pretrained);
            Assert.Equal(64, Env.Pick(full: 64, fast: 32));   // pretrained mode builds the full-size models
            Environment.SetEnvironmentVariable("COURSE_PRETRAINED", "yes");
            Assert.Contains("COURSE_PRETRAINED=yes", Assert.Throws<ArgumentException>(() => Env.Pretrained).Message);
            Environment.SetEnvironmentVariable("COURSE_PRETRAINED", "1");
            Environment.SetEnvironmentVariable("COURSE_FAST", "1");
            Assert.Contains("COURSE_FAST=1", Assert.Throws<InvalidOperationException>(() => Env.Pretrained).Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("COURSE_FAST", fast);
            Environment.SetEnvironmentVariable("COURSE_PRETRAINED", pretrained);
        }
    }
}
