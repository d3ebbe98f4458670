using Torch;
using static Torch.torch;

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
        Assert.Equal(Path.Combine(_root.FullName, "artifacts", "checkpoints", "layer.safetensors"), path);
        Assert.Equal(new[] { "layer.safetensors" }, Directory.GetFiles(Checkpoints.Folder).Select(Path.GetFileName));   // no temporary file left

        var loaded = nn.Linear(4, 3);
        var when = Checkpoints.TryLoad(loaded, "layer");
        Assert.NotNull(when);
        Assert.InRange(when!.Value, before, DateTime.UtcNow.AddSeconds(2));
        Assert.True(loaded.weight.allclose(saved.weight, rtol: 0, atol: 0));
        Assert.True(loaded.bias!.allclose(saved.bias!, rtol: 0, atol: 0));
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
