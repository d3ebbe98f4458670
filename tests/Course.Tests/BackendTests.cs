namespace Course.Tests;

public class BackendTests
{
    [Fact]
    public void TheBuildKnowsItsBindingAndKeepsTorchSharpsArtifactsApart()
    {
#if TORCHSHARP
        Assert.Equal("torchsharp", Backend.Name);
        Assert.Equal(Path.Combine("/r", "artifacts", "torchsharp"), Backend.Artifacts("/r"));
#else
        Assert.Equal("course", Backend.Name);
        Assert.Equal(Path.Combine("/r", "artifacts"), Backend.Artifacts("/r"));
#endif
    }
}
