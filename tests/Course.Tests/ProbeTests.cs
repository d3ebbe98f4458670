using Course;

namespace Course.Tests;

/// <summary>The linear probe, k-NN and frozen-feature extraction on cases whose answers are known by hand.</summary>
public sealed class ProbeTests
{
    // Four well-separated Gaussian blobs in 5-D whose class is a linear function of the position: a probe must get
    // nearly all held-out points right, and a constant or broken probe gets about a quarter.
    private static (Tensor X, Tensor Y) Blobs(int n, int seed)
    {
        manual_seed(seed);
        var y = torch.randint(0, 4, [n]);
        var centres = torch.tensor(new float[] { 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, -3, 0, 0, 0, 0, 0, -3, 0, 0, 0 }, new long[] { 4, 5 });
        return (centres.index_select(0, y) * 10 + 7 + torch.randn([n, 5]) * 10, y);   // shifted and scaled: the probe standardises
    }

    [Fact]
    public void LinearProbeSeparatesLinearClasses()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Blobs(2000, 1);
        var (xv, yv) = Blobs(500, 2);
        using var probe = LinearProbe.Fit(x, y, 4, epochs: 10, lr: 1e-2);
        Assert.True(probe.Accuracy(xv, yv) > 0.97, $"held-out accuracy {probe.Accuracy(xv, yv):P1}");
        // from log 4 ≈ 1.39 at the zero start (uniform predictions), falling every epoch (80 small steps: the weights are
        // still small, so the loss stays near 1 while the argmax is already right)
        var losses = probe.EpochLosses;
        Assert.True(losses[0] < Math.Log(4) && losses.Zip(losses.Skip(1)).All(p => p.Second < p.First) && losses[^1] < 0.8 * losses[0],
            $"training losses {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
        Assert.Equal(new long[] { 500, 4 }, probe.Logits(xv).shape);
    }

    [Fact]
    public void LinearProbeIsReproducibleAndRejectsBadLabels()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Blobs(300, 3);
        using var a = LinearProbe.Fit(x, y, 4, epochs: 2, seed: 5);
        using var b = LinearProbe.Fit(x, y, 4, epochs: 2, seed: 5);
        Assert.True(a.Layer.weight.allclose(b.Layer.weight, 0, 0), "same data and seed, different probe");
        Assert.Throws<ArgumentException>(() => LinearProbe.Fit(x, y + 1, 4));
        Assert.Throws<ArgumentException>(() => LinearProbe.Fit(x, y[..10], 4));
    }

    [Fact]
    public void KNearestNeighborsVotesByCosineSimilarity()
    {
        using var scope = NewDisposeScope();
        // stored directions: angles 0°, 10°, 20° (class 0), 90°, 100° (class 1), 180° (class 2); lengths differ on purpose
        double[] degrees = { 0, 10, 20, 90, 100, 180 };
        double[] lengths = { 1, 5, 0.2, 3, 1, 2 };
        var features = tensor(degrees.Zip(lengths).SelectMany(p => new[] { p.Second * Math.Cos(p.First * Math.PI / 180), p.Second * Math.Sin(p.First * Math.PI / 180) }).ToArray(), new long[] { 6, 2 });
        using var knn = new KNearestNeighbors(features, tensor(new long[] { 0, 0, 0, 1, 1, 2 }), 3);
        var query = tensor(new double[] { 100 * Math.Cos(85 * Math.PI / 180), 100 * Math.Sin(85 * Math.PI / 180) }, new long[] { 1, 2 });   // 85°
        Assert.Equal(new long[] { 3, 4, 2 }, knn.Neighbors(query, 3).ToArray<long>());   // 90°, 100°, 20° (cosines .996, .966, .423)
        Assert.Equal(new long[] { 1 }, knn.Predict(query, 3).ToArray<long>());           // two votes for 1, one for 0
        Assert.Equal(new long[] { 0 }, knn.Predict(query, 6).ToArray<long>());           // 3, 2, 1 votes
        // a tie (one vote each for 1 and 0 with k = 2 at 55°: neighbours 90° and 20°, cosines .819 and .819) goes to class 0
        var tie = tensor(new double[] { Math.Cos(55 * Math.PI / 180), Math.Sin(55 * Math.PI / 180) }, new long[] { 1, 2 });
        Assert.Equal(new long[] { 0 }, knn.Predict(tie, 2).ToArray<long>());
        Assert.Throws<ArgumentOutOfRangeException>(() => knn.Predict(query, 7));
        Assert.Throws<ArgumentException>(() => knn.Predict(tensor(new double[] { 1, 2, 3 }, new long[] { 1, 3 }), 1));
    }

    [Fact]
    public void FrozenFeaturesRunsTheEncoderOverEveryExampleInOrder()
    {
        using var scope = NewDisposeScope();
        var inputs = torch.arange(0.0, 10).view(10, 1);
        using var data = new TensorDataset(inputs, torch.zeros([10], dtype: int64));
        var features = FrozenFeatures.Extract(x => torch.cat([x, x * 2], 1), data, batchSize: 3, transform: x => x + 1);
        Assert.Equal(new long[] { 10, 2 }, features.shape);
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(i => new float[] { i + 1, 2 * (i + 1) }).ToArray(), features.ToArray<float>());
    }
}
