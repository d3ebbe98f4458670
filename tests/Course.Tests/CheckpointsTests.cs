namespace Course.Tests;

/// <summary>Checkpoints: what a chapter saves, a later chapter loads whole; a missing one is null, a wrong one an error.</summary>
public class CheckpointsTests : IDisposable
{
    private readonly TempFolder _root = new("course-checkpoints");
    private readonly string? _savedRoot = Environment.GetEnvironmentVariable("COURSE_ROOT");

    public CheckpointsTests() => Environment.SetEnvironmentVariable("COURSE_ROOT", _root.FullName);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("COURSE_ROOT", _savedRoot);
        _root.Dispose();
    }

    [Fact]
    public void ASavedModelLoadsIntoAFreshOne()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var saved = nn.Linear(4, 3);
        Assert.Null(Checkpoints.TryLoad(nn.Linear(4, 3), "layer"));
        var before = DateTime.UtcNow.AddSeconds(-2);
        var path = Checkpoints.Save(saved, "layer");
        // a full run on TorchSharp keeps its checkpoints apart from the course binding's
        var artifacts = Backend.Name == "torchsharp" ? Path.Combine("artifacts", "torchsharp") : "artifacts";
        Assert.Equal(Path.Combine(_root.FullName, artifacts, "checkpoints", "layer.safetensors"), path);
        Assert.Equal(new[] { "layer.safetensors" }, Directory.GetFiles(Checkpoints.Folder).Select(Path.GetFileName));   // no temporary file left

        var loaded = nn.Linear(4, 3);
        var when = Checkpoints.TryLoad(loaded, "layer");
        Assert.NotNull(when);
        Assert.InRange(when!.Value, before, DateTime.UtcNow.AddSeconds(2));
        Assert.True(loaded.weight.allclose(saved.weight, rtol: 0, atol: 0));
        Assert.True(loaded.bias!.allclose(saved.bias!, rtol: 0, atol: 0));
    }

    [Fact]
    public void OwnCheckpointFirstThenTheShippedOneThenNone()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        Assert.Null(Checkpoints.TryLoadOwnOrShipped(nn.Linear(4, 3), "layer"));   // neither exists

        // a shipped copy with its manifest, as ./course checkpoints writes them
        var shippedModel = nn.Linear(4, 3);
        Directory.CreateDirectory(Pretrained.Folder);
        var shippedPath = Pretrained.PathOf("layer");
        shippedModel.save_safetensors(shippedPath);
        var runUtc = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        new PretrainedManifest("layer", "notebooks/xx.ipynb", "Linear(4, 3)", 15, "layer.safetensors", new FileInfo(shippedPath).Length,
            Pretrained.Sha256(shippedPath), "float32", "tiny", "layer", runUtc, "test_accuracy", [new Result("test_accuracy", 0.5, 1, "cpu")],
            new PretrainedSubset("test", 1, "accuracy", 0.5, "one image", new Dictionary<string, string>()), runUtc).Save(Pretrained.ManifestPathOf("layer"));
        var fromShipped = nn.Linear(4, 3);
        var shipped = Checkpoints.TryLoadOwnOrShipped(fromShipped, "layer")!;
        Assert.NotNull(shipped.Shipped);
        Assert.Equal((shippedPath, runUtc), (shipped.File, shipped.WrittenUtc));
        Assert.Equal(0.5, shipped.Recorded("test_accuracy"));
        Assert.Null(shipped.Recorded("validation_accuracy"));
        Assert.Equal("the shipped checkpoints/layer.safetensors, from the recorded full run of 2026-12-01", shipped.ToString());
        Assert.True(fromShipped.weight.allclose(shippedModel.weight, rtol: 0, atol: 0));

        // this machine's own checkpoint wins over the shipped one; its numbers come from its own results
        var own = nn.Linear(4, 3);
        Checkpoints.Save(own, "layer");
        Results.Save("layer", [new Result("test_accuracy", 0.75, 1, "cpu")]);
        var fromOwn = nn.Linear(4, 3);
        var loaded = Checkpoints.TryLoadOwnOrShipped(fromOwn, "layer")!;
        Assert.Null(loaded.Shipped);
        Assert.Equal(Checkpoints.PathOf("layer"), loaded.File);
        Assert.Equal(0.75, loaded.Recorded("test_accuracy"));
        Assert.StartsWith(Checkpoints.PathOf("layer") + ", saved ", loaded.ToString());
        Assert.True(fromOwn.weight.allclose(own.weight, rtol: 0, atol: 0));
        Assert.False(fromOwn.weight.allclose(shippedModel.weight, rtol: 0, atol: 0));

        // a shipped file that is not the one its manifest describes is refused, naming the file
        File.Delete(Checkpoints.PathOf("layer"));
        File.WriteAllBytes(shippedPath, File.ReadAllBytes(shippedPath).Append((byte)0).ToArray());
        Assert.Contains("layer.safetensors", Assert.Throws<InvalidDataException>(() => Checkpoints.TryLoadOwnOrShipped(nn.Linear(4, 3), "layer")).Message);
    }

    [Fact]
    public void AnotherArchitectureOrABadNameIsAnError()
    {
        using var scope = NewDisposeScope();
        Checkpoints.Save(nn.Linear(4, 3), "layer");
        var e = Assert.Throws<InvalidDataException>(() => Checkpoints.TryLoad(nn.Linear(5, 3), "layer"));
        Assert.Contains("layer.safetensors", e.Message);
        Assert.Throws<ArgumentException>(() => Checkpoints.PathOf("../x"));
        Assert.Throws<ArgumentException>(() => Checkpoints.PathOf(" "));
    }
}
