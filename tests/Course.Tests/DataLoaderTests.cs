using Course;

namespace Course.Tests;

public sealed class DataLoaderTests
{
    // example i has input [i, −i] and target i
    private static TensorDataset Numbered(int n)
    {
        var inputs = Enumerable.Range(0, n).SelectMany(i => new float[] { i, -i }).ToArray();
        return new TensorDataset(torch.tensor(inputs, [n, 2]), torch.arange(n));
    }

    private static List<long[]> Epoch(DataLoader loader) =>
        loader.Select(b => b.y.ToArray<long>()).ToList();

    [Fact]
    public void BatchesCoverEveryExampleOnceAndKeepInputsWithTargets()
    {
        using var data = Numbered(103);
        var loader = new DataLoader(data, batchSize: 10, shuffle: true, seed: 1);
        Assert.Equal(11, loader.Count);
        var sizes = new List<long>();
        var seen = new List<long>();
        foreach (var (x, y) in loader)
        {
            sizes.Add(y.size(0));
            var ids = y.ToArray<long>();
            using var first = x[.., 0];
            Assert.Equal(ids.Select(i => (float)i), first.ToArray<float>());
            seen.AddRange(ids);
        }
        Assert.Equal(Enumerable.Repeat(10L, 10).Append(3), sizes);
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), seen.Order());
    }

    [Fact]
    public void ShufflingIsSeededAndDiffersBetweenEpochs()
    {
        using var data = Numbered(50);
        var a = new DataLoader(data, batchSize: 50, shuffle: true, seed: 7);
        var b = new DataLoader(data, batchSize: 50, shuffle: true, seed: 7);
        var c = new DataLoader(data, batchSize: 50, shuffle: true, seed: 8);
        var a1 = Epoch(a)[0];
        var a2 = Epoch(a)[0];
        Assert.Equal(a1, Epoch(b)[0]);
        Assert.Equal(a2, Epoch(b)[0]);
        Assert.NotEqual(a1, a2);
        Assert.NotEqual(a1, Epoch(c)[0]);
        Assert.Equal(2, a.Epoch);
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), a1);
    }

    [Fact]
    public void WithoutShuffleTheOrderIsTheDatasets()
    {
        using var data = Numbered(25);
        var loader = new DataLoader(data, batchSize: 8);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), Epoch(loader).SelectMany(ids => ids));
    }

    [Fact]
    public void DropLastDropsThePartialBatch()
    {
        using var data = Numbered(103);
        var loader = new DataLoader(data, batchSize: 10, shuffle: true, dropLast: true);
        Assert.Equal(10, loader.Count);
        Assert.Equal(100, loader.Examples);
        var batches = Epoch(loader);
        Assert.Equal(10, batches.Count);
        Assert.All(batches, ids => Assert.Equal(10, ids.Length));
        Assert.Equal(100, batches.SelectMany(ids => ids).Distinct().Count());
        Assert.Throws<ArgumentException>(() => new DataLoader(data, batchSize: 200, dropLast: true));
    }

    [Fact]
    public void TheTransformRunsOnEachBatch()
    {
        using var data = Numbered(6);
        var loader = new DataLoader(data, batchSize: 3, transform: x => x * 2.0);
        var firsts = loader.Select(b => { using var f = b.x[.., 0]; return f.ToArray<float>(); }).SelectMany(v => v);
        Assert.Equal(new float[] { 0, 2, 4, 6, 8, 10 }, firsts);
    }

    [Fact]
    public void BatchesGoToTheCpu()
    {
        using var data = Numbered(6);
        int batches = 0;
        foreach (var (x, y) in new DataLoader(data, batchSize: 3, device: Device.CPU))
        {
            Assert.Equal(DeviceType.CPU, x.device.type);
            Assert.Equal(DeviceType.CPU, y.device.type);
            batches++;
        }
        Assert.Equal(2, batches);
    }

    [CudaFact]
    public void BatchesGoToTheGpu()
    {
        using var data = Numbered(6);
        int batches = 0;
        foreach (var (x, y) in new DataLoader(data, batchSize: 3, device: new Device(DeviceType.CUDA, 0)))
        {
            Assert.True(x.is_cuda);
            Assert.True(y.is_cuda);
            batches++;
        }
        Assert.Equal(2, batches);
    }

    [Fact]
    public void TheLoaderFreesABatchWhenItMakesTheNext()
    {
        using var data = Numbered(6);
        var batches = new List<Batch>();
        foreach (var batch in new DataLoader(data, batchSize: 2)) batches.Add(batch);
        Assert.All(batches, b => Assert.True(b.x.IsDisposed && b.y.IsDisposed));
        Assert.False(data.Inputs.IsDisposed);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var data = Numbered(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(data, batchSize: 0));
        Assert.Throws<ArgumentException>(() => new TensorDataset(torch.zeros(3, 2), torch.zeros(4)));
    }

    [Fact]
    public void TakeAndSelectPickExamples()
    {
        using var data = Numbered(10);
        using var first = data.Take(3);
        Assert.Equal(new long[] { 0, 1, 2 }, first.Targets.ToArray<long>());
        using var all = data.Take(99);
        Assert.Equal(10, all.Count);
        using var picked = data.Select([9, 0, 4]);
        Assert.Equal(new long[] { 9, 0, 4 }, picked.Targets.ToArray<long>());
        Assert.Equal(new float[] { 9, -9, 0, 0, 4, -4 }, picked.Inputs.ToArray<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Select([10]));
    }
}

public sealed class DataLoaderMemoryTests
{
    [Fact]
    public void AnEpochLeavesNoTensorBehindEvenWhenStoppedEarly()
    {
        using var data = new TensorDataset(torch.rand(64, 1, 8, 8), torch.arange(64));
        var loader = new DataLoader(data, batchSize: 16, shuffle: true, transform: x => Augment.RandomHorizontalFlip(Augment.RandomCrop(x, 2)));
        foreach (var _ in loader) { } // warm up
        long before = Tensor.LiveCount;
        foreach (var (x, y) in loader) { using var s = x.sum(); }
        foreach (var (x, y) in loader) break;
        Assert.Equal(before, Tensor.LiveCount);
    }
}
