namespace Torch.Tests;

public class TensorTests
{
    [Fact]
    public void FactoriesHaveShapeDtypeAndValues()
    {
        using var z = zeros(2, 3);
        Assert.Equal(new long[] { 2, 3 }, z.shape);
        Assert.Equal(ScalarType.Float32, z.dtype);
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        using var o = ones(new long[] { 4 }, float64);
        Assert.Equal(ScalarType.Float64, o.dtype);
        Assert.Equal(4.0, o.sum().item<double>());
        using var a = arange(5);
        Assert.Equal(ScalarType.Int64, a.dtype);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, a.ToArray<long>());
        using var f = full(new long[] { 2, 2 }, 7.5);
        Assert.Equal(new[] { 7.5f, 7.5f, 7.5f, 7.5f }, f.ToArray<float>());
        using var e = eye(3);
        Assert.Equal(3f, e.sum().item<float>());
        using var l = linspace(0, 1, 5);
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }, l.ToArray<float>());
    }

    [Fact]
    public void DataRoundTripsThroughCSharpArrays()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        using var t = tensor(data, new long[] { 2, 3 });
        Assert.Equal(data, t.ToArray<float>());
        using var m = tensor(new double[,] { { 1, 2 }, { 3, 4 } });
        Assert.Equal(new long[] { 2, 2 }, m.shape);
        Assert.Equal(ScalarType.Float64, m.dtype);
        using var b = tensor(new[] { true, false, true });
        Assert.Equal(ScalarType.Bool, b.dtype);
        Assert.Equal(new[] { true, false, true }, b.ToArray<bool>());
        using var i = tensor(new long[] { 5, -3 });
        Assert.Equal(new long[] { 5, -3 }, i.ToArray<long>());
        using var s = from_span<int>(new int[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        Assert.Equal(ScalarType.Int32, s.dtype);
        // converted on the way out when asked for another element type
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<double>());
        Assert.Throws<ArgumentException>(() => tensor(data, new long[] { 4, 2 }));
    }

    [Fact]
    public void ArithmeticBroadcastsAndPromotesLikePyTorch()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var row = tensor(new float[] { 10, 20 });
        Assert.Equal(new float[] { 11, 22, 13, 24 }, (a + row).ToArray<float>());
        Assert.Equal(new float[] { 2, 4, 6, 8 }, (a * 2).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1, 1.5f, 2 }, (a / 2.0).ToArray<float>());
        Assert.Equal(new float[] { 0, -1, -2, -3 }, (1 - a).ToArray<float>());
        Assert.Equal(new float[] { 1, 0.5f, 1f / 3, 0.25f }, (1.0 / a).ToArray<float>());
        Assert.Equal(new float[] { 7, 10, 15, 22 }, a.matmul(a).ToArray<float>());
        using var ints = arange(4);
        Assert.Equal(ScalarType.Int64, (ints * 2).dtype);        // int scalar keeps int64
        Assert.Equal(ScalarType.Float32, (ints * 0.5).dtype);    // float scalar promotes
        Assert.Equal(new[] { false, false, true, true }, (a > 2.5).ToArray<bool>());
        // integer tensors add and subtract as integers
        Assert.Equal(new long[] { 0, 2, 4, 6 }, (ints + ints).ToArray<long>());
        Assert.Equal(new long[] { 0, 0, 0, 0 }, (ints - ints).ToArray<long>());
        using var acc = zeros(new long[] { 4 }, int64);
        acc.add_(ints).sub_(ints).add_(ints);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, acc.ToArray<long>());
    }

    [Fact]
    public void ReductionsAndArgmax()
    {
        using var a = tensor(new float[] { 1, 5, 3, 4, 2, 6 }, new long[] { 2, 3 });
        Assert.Equal(21f, a.sum().item<float>());
        Assert.Equal(new float[] { 9, 12 }, a.sum(1).ToArray<float>());
        Assert.Equal(new float[] { 2.5f, 3.5f, 4.5f }, a.mean([0]).ToArray<float>());
        Assert.Equal(new long[] { 1, 2 }, a.argmax(1).ToArray<long>());
        var (vals, idx) = a.max(1);
        Assert.Equal(new float[] { 5, 6 }, vals.ToArray<float>());
        Assert.Equal(new long[] { 1, 2 }, idx.ToArray<long>());
        var (top, topi) = a.flatten().topk(2);
        Assert.Equal(new float[] { 6, 5 }, top.ToArray<float>());
        Assert.Equal(new long[] { 5, 1 }, topi.ToArray<long>());
        Near.Equal(Math.Log(Math.Exp(1) + Math.Exp(5) + Math.Exp(3)), a.logsumexp(1).ToArray<float>()[0], 1e-6);
        Near.Equal(Math.Sqrt(1 + 25 + 9 + 16 + 4 + 36), a.norm().item<double>(), 1e-6);
    }

    [Fact]
    public void IndexingAndSlicingFollowPyTorch()
    {
        using var scope = NewDisposeScope();
        var t = arange(24).reshape(2, 3, 4);
        Assert.Equal(new long[] { 3, 4 }, t[0].shape);
        Assert.Equal(new long[] { 12, 13, 14, 15 }, t[1, 0].ToArray<long>());
        Assert.Equal(new long[] { 2, 2, 4 }, t[.., 1..3].shape);
        Assert.Equal(new long[] { 3, 7, 11 }, t[0, .., ^1].ToArray<long>());
        Assert.Equal(new long[] { 2, 3 }, t[TensorIndex.Ellipsis, 0].shape);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, t[TensorIndex.None].shape);
        Assert.Equal(new long[] { 0, 2 }, t[0, 0, TensorIndex.Slice(0, null, 2)].ToArray<long>());
        var idx = tensor(new long[] { 2, 0 });
        Assert.Equal(new long[] { 8, 9, 10, 11, 0, 1, 2, 3 }, t[0, idx].ToArray<long>());
        // writes through views and through advanced indices
        var z = zeros(3, 3);
        z[1] = ones(3);
        z[.., 0] = full(new long[] { 3 }, 5);
        z.index_put_(9, idx, 2);
        Assert.Equal(new float[] { 5, 0, 9, 5, 1, 1, 5, 0, 9 }, z.ToArray<float>());
        var mask = t > 20;
        Assert.Equal(new long[] { 21, 22, 23 }, t[mask].ToArray<long>());
    }

    [Fact]
    public void ShapesJoinAndSplit()
    {
        using var scope = NewDisposeScope();
        var a = arange(6).reshape(2, 3);
        Assert.Equal(new long[] { 3, 2 }, a.t().shape);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, a.t().contiguous().ToArray<long>());
        Assert.Equal(new long[] { 4, 3 }, cat(new[] { a, a }).shape);
        Assert.Equal(new long[] { 2, 2, 3 }, stack(new[] { a, a }).shape);
        var parts = arange(10).chunk(3);
        Assert.Equal(new[] { 4L, 4, 2 }, parts.Select(p => p.numel()).ToArray());
        Assert.Equal(new[] { 3L, 3, 3, 1 }, arange(10).split(3).Select(p => p.numel()).ToArray());
        Assert.Equal(new long[] { 1, 2, 1, 3 }, a.unsqueeze(0).unsqueeze(2).shape);
        Assert.Equal(new long[] { 2, 3 }, a.unsqueeze(0).squeeze().shape);
        Assert.Equal(new long[] { 2, 1, 3 }, a.unsqueeze(1).permute(0, 2, 1).unsqueeze(1).squeeze(-1).shape);
        var tri = ones(3, 3).tril();
        Assert.Equal(6f, tri.sum().item<float>());
        var g = a.gather(1, tensor(new long[] { 2, 0, 1, 1 }, new long[] { 2, 2 }));
        Assert.Equal(new long[] { 2, 0, 4, 4 }, g.ToArray<long>());
    }

    [Fact]
    public void PrintsLikePyTorch()
    {
        using var scope = NewDisposeScope();
        Assert.Equal("tensor([1., 2., 3.])", tensor(new float[] { 1, 2, 3 }).ToString());
        Assert.Equal("tensor([[ 0.5000, -1.2500],\n        [ 2.0000,  3.0000]])", tensor(new float[,] { { 0.5f, -1.25f }, { 2, 3 } }).ToString());
        Assert.Equal("tensor([0, 1, 2])", arange(3).ToString());
        Assert.Equal("tensor(2.5000, dtype=torch.float64)", tensor(2.5, float64).ToString());
        Assert.Equal("tensor([ True, False])", tensor(new[] { true, false }).ToString());
        Assert.Equal("tensor([1., 1.], requires_grad=True)", ones(new long[] { 2 }, requires_grad: true).ToString());
        var x = ones(new long[] { 2 }, requires_grad: true);
        Assert.Equal("tensor([1., 1.], grad_fn=<MulBackward0>)", (x * x).ToString());
        var big = arange(2000).ToString();
        Assert.Equal("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", big);
        Assert.Equal("tensor([1.0000e-05, 1.0000e+00])", tensor(new float[] { 1e-5f, 1 }).ToString());
        Assert.Equal("tensor([])", zeros(0).ToString());
    }

    [Fact]
    public void DevicesParseAndCpuIsDefault()
    {
        using var t = randn(2, 2);
        Assert.Equal("cpu", t.device.ToString());
        Assert.Equal(Device.CPU, device("cpu"));
        Assert.Equal(new Device(DeviceType.CUDA, 1), device("cuda:1"));
        Assert.Throws<ArgumentException>(() => device("tpu"));
    }

    [Fact]
    public void SeedsMakeRandomNumbersReproducible()
    {
        manual_seed(42);
        using var a = randn(5);
        manual_seed(42);
        using var b = randn(5);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        using var c = randn(5);
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
    }

    [Fact]
    public void ReducedPrecisionTypesConvert()
    {
        using var a = tensor(new float[] { 1.5f, -2.25f });
        using var h = a.half();
        Assert.Equal(ScalarType.Float16, h.dtype);
        Assert.Equal(new float[] { 1.5f, -2.25f }, h.@float().ToArray<float>());
        using var bf = a.bfloat16();
        Assert.Equal(new float[] { 1.5f, -2.25f }, bf.@float().ToArray<float>());
    }

    [Fact]
    public void ThreadsAreSetToTheAvailableCores()
    {
        using var _ = zeros(1);  // loads libtorch
        int expected = int.TryParse(Environment.GetEnvironmentVariable("COURSE_NUM_THREADS"), out var n) ? n : Environment.ProcessorCount;
        Assert.Equal(expected, get_num_threads());
    }
}
