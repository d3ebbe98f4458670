using Torch.Modules;
namespace Torch.Tests;

/// <summary>Bad input raises a .NET exception with the cause, never a crash or a half-written file.</summary>
public class ErrorTests
{
    [Fact]
    public void ShapeMismatchCarriesLibtorchsMessage()
    {
        using var a = randn(2, 3);
        using var b = randn(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("cannot be multiplied", e.Message);
        Assert.Contains("2x3 and 4x5", e.Message);
        var e2 = Assert.Throws<TorchException>(() => a + b);
        Assert.Contains("must match", e2.Message);
        Assert.Throws<TorchException>(() => a.view(7));
    }

    [Fact]
    public void WrongDtypeIsReported()
    {
        using var logits = randn(4, 3);
        using var floatTargets = randn(4);
        var e = Assert.ThrowsAny<TorchException>(() => F.cross_entropy(logits, floatTargets));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        using var ints = arange(4);
        Assert.ThrowsAny<TorchException>(() => F.linear(logits, ints.reshape(2, 2)));
    }

    [Fact]
    public void IndexOutOfRangeIsAnIndexError()
    {
        using var t = zeros(3, 4);
        var e = Assert.Throws<TorchIndexException>(() => t[5]);
        Assert.Contains("out of range", e.Message);
        Assert.Throws<TorchIndexException>(() => t[0, 0, 0]);
        using var emb = nn.Embedding(10, 4);
        using var bad = tensor(new long[] { 3, 12 });
        Assert.ThrowsAny<TorchException>(() => emb.forward(bad));
    }

    [Fact]
    public void MissingWeightsFileNamesThePath()
    {
        using var model = nn.Linear(2, 2);
        var path = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.safetensors");
        var e = Assert.Throws<FileNotFoundException>(() => model.load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void CorruptWeightsFilesAreRejectedWithThePath()
    {
        using var model = nn.Linear(3, 2);
        using var temp = new TempFolder("course-corrupt");
        var dir = temp.FullName;
        var good = Path.Combine(dir, "good.safetensors");
        model.save(good);
        var bytes = File.ReadAllBytes(good);

        void Expect(byte[] content, string because)
        {
            var p = Path.Combine(dir, because + ".safetensors");
            File.WriteAllBytes(p, content);
            var e = Assert.Throws<InvalidDataException>(() => model.load(p));
            Assert.Contains(p, e.Message);
        }
        Expect(bytes[..5], "short");
        Expect(bytes[..(bytes.Length - 4)], "truncated");
        var badHeader = (byte[])bytes.Clone();
        badHeader[9] = (byte)'#';
        Expect(badHeader, "notjson");
        var huge = (byte[])bytes.Clone();
        BitConverter.GetBytes(ulong.MaxValue / 2).CopyTo(huge, 0);
        Expect(huge, "hugeheader");
        // a file for another model: names and shapes do not match
        using var other = nn.Linear(4, 2);
        var otherPath = Path.Combine(dir, "other.safetensors");
        other.save(otherPath);
        var mismatch = Assert.Throws<InvalidDataException>(() => model.load(otherPath));
        Assert.Contains("shape", mismatch.Message);
    }

    [Fact]
    public void AFailedSaveLeavesNoFileBehind()
    {
        using var temp = new TempFolder("course-save");
        var dir = temp.FullName;
        var path = Path.Combine(dir, "w.safetensors");
        using var disposed = randn(3);
        disposed.Dispose();
        var tensors = new Dictionary<string, Tensor> { ["a"] = randn(2), ["b"] = disposed };
        Assert.Throws<ObjectDisposedException>(() => Serialization.SafeTensors.Save(path, tensors));
        Assert.Empty(Directory.GetFiles(dir));
        // an existing file is replaced whole or not at all
        File.WriteAllText(path, "old");
        Assert.Throws<ObjectDisposedException>(() => Serialization.SafeTensors.Save(path, tensors));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
        Assert.Throws<DirectoryNotFoundException>(() => Serialization.SafeTensors.Save(Path.Combine(dir, "missing", "w.safetensors"), tensors));
    }

    [NoCudaFact]  // on a GPU machine the CUDA tests cover these calls
    public void CudaRequestWithoutCudaIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => zeros(new long[] { 2 }, device: device("cuda")));
        Assert.Contains("CUDA", e.Message);
        using var t = zeros(2);
        Assert.Throws<InvalidOperationException>(() => t.cuda());
        using var m = nn.Linear(2, 2);
        Assert.Throws<InvalidOperationException>(() => m.to(device("cuda")));
    }

    [Fact]
    public void UsingADisposedTensorIsAnObjectDisposedException()
    {
        var t = randn(2);
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => t.sum());
        Assert.Equal("tensor(<disposed>)", t.ToString());
    }

    [Fact]
    public void BadArgumentsFailBeforeReachingLibtorch()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Dropout(1.5));
        Assert.Throws<ArgumentException>(() => optim.SGD(Array.Empty<Parameter>(), learningRate: 0.1));
        using var m = nn.Linear(2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.Adam(m.parameters(), lr: -1));
    }
}
