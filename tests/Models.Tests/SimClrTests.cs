using System.Text.Json.Nodes;
using Course;

namespace Models.Tests;

/// <summary>
/// SimCLR's pieces against independent oracles: NT-Xent against a direct loop over its definition and against PyTorch
/// (reference/simclr.json from make_simclr_reference.py), float64 gradient checks of the loss and of the model, the
/// batched crop and blur against PyTorch's grid_sample and convolution, k-NN against scikit-learn, PCA against numpy.
/// </summary>
public class SimClrTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "simclr.json")))!;
    private static double[] D(string key) => Ref[key]!.AsArray().Select(x => (double)x!).ToArray();
    private static long[] L(string key) => Ref[key]!.AsArray().Select(x => (long)x!).ToArray();
    private static Tensor T(string key, params long[] shape) => tensor(D(key), shape);
    private static double Gap(Tensor a, double[] b)
    {
        var values = a.contiguous().ToArray<double>();
        Assert.Equal(b.Length, values.Length);
        return values.Zip(b).Max(p => Math.Abs(p.First - p.Second));
    }

    // The definition, term by term: ℓ(i) = −log(exp(s_i,p(i)/τ) / Σ_{k≠i} exp(s_ik/τ)), L = mean over the 2N anchors.
    private static double LoopNTXent(double[] z1, double[] z2, int n, int d, double tau)
    {
        var z = new double[2 * n][];
        for (int i = 0; i < n; i++) { z[i] = z1[(i * d)..((i + 1) * d)]; z[n + i] = z2[(i * d)..((i + 1) * d)]; }
        double Cos(double[] a, double[] b) =>
            a.Zip(b).Sum(p => p.First * p.Second) / Math.Sqrt(a.Sum(v => v * v)) / Math.Sqrt(b.Sum(v => v * v));
        double total = 0;
        for (int i = 0; i < 2 * n; i++)
        {
            int positive = i < n ? i + n : i - n;
            double denominator = 0;
            for (int k = 0; k < 2 * n; k++) if (k != i) denominator += Math.Exp(Cos(z[i], z[k]) / tau);
            total += -Math.Log(Math.Exp(Cos(z[i], z[positive]) / tau) / denominator);
        }
        return total / (2 * n);
    }

    [Fact]
    public void NTXentEqualsADirectLoopOverItsDefinition()
    {
        using var scope = NewDisposeScope();
        foreach (var (n, d, tau) in new[] { (1, 3, 0.5), (6, 5, 0.1), (9, 2, 1.0) })
        {
            manual_seed(n);
            var z1 = randn(new long[] { n, d }, float64);
            var z2 = randn(new long[] { n, d }, float64);
            double expected = LoopNTXent(z1.ToArray<double>(), z2.ToArray<double>(), n, d, tau);
            double actual = NTXent.Loss(z1, z2, tau).item<double>();
            Assert.True(Math.Abs(expected - actual) < 1e-12 * Math.Max(1, expected), $"N={n}, τ={tau}: loop {expected:R}, NTXent {actual:R}");
        }
    }

    [Fact]
    public void NTXentAndItsGradientsEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        var sizes = L("ntxent_sizes");
        double tau = (double)Ref["ntxent_tau"]!;
        var z1 = T("ntxent_z1", sizes).requires_grad_();
        var z2 = T("ntxent_z2", sizes).requires_grad_();
        var loss = NTXent.Loss(z1, z2, tau);
        Assert.True(Math.Abs(loss.item<double>() - (double)Ref["ntxent_loss"]!) < 1e-12, $"loss {loss.item<double>():R} vs PyTorch {(double)Ref["ntxent_loss"]!:R}");
        loss.backward();
        Assert.True(Gap(z1.grad!, D("ntxent_grad_z1")) < 1e-12, "∂L/∂z1 differs from PyTorch's");
        Assert.True(Gap(z2.grad!, D("ntxent_grad_z2")) < 1e-12, "∂L/∂z2 differs from PyTorch's");
    }

    [Fact]
    public void NTXentIsLowWhenViewsAgreeAndRejectsBadInput()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var z = randn(new long[] { 16, 8 }, float64);
        // identical views: each positive has similarity 1, the best case; random pairs are far worse
        double same = NTXent.Loss(z, z, 0.1).item<double>();
        double random = NTXent.Loss(z, randn(new long[] { 16, 8 }, float64), 0.1).item<double>();
        Assert.True(same < 0.5 * random, $"identical views {same}, random views {random}");
        Assert.Throws<ArgumentException>(() => NTXent.Loss(z, z[..3], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => NTXent.Loss(z, z, 0));
    }

    [Fact]
    public void PairAccuracyCountsVectorsWhoseNearestOtherIsTheirTwin()
    {
        using var scope = NewDisposeScope();
        // pairs (a, a') and (b, b'): a' is near a, but b' is nearer a than b is, and a is nearer b' than b is
        var z1 = tensor(new double[] { 1, 0, 0, 1 }, new long[] { 2, 2 });                  // a = 0°, b = 90°
        var z2 = tensor(new double[] { Math.Cos(0.1), Math.Sin(0.1), 1, 0.2 }, new long[] { 2, 2 });   // a' ≈ 6°, b' ≈ 11°
        // nearest others: a → a' (6°) ✓, b → b' (79°) ✓, a' → b' (5°) ✗, b' → a' (5°) ✗
        Assert.Equal(0.5, NTXent.PairAccuracy(z1, z2), 12);
        Assert.Equal(1.0, NTXent.PairAccuracy(z1, z1 * 3), 12);
    }

    [Fact]
    public void NTXentGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var z1 = randn(new long[] { 4, 3 }, float64).requires_grad_();
        var z2 = randn(new long[] { 4, 3 }, float64).requires_grad_();
        double error = autograd.gradcheck(() => NTXent.Loss(z1, z2, 0.2), z1, z2);
        Assert.True(error < 1e-6, $"relative error {error:E2}");
    }

    [Fact]
    public void SimClrShapesAndGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var model = new SimClr(width: 2, feature_dim: 6, projection_dim: 3);
        var x1 = randn(new long[] { 3, 1, 28, 28 }, float64);
        var x2 = randn(new long[] { 3, 1, 28, 28 }, float64);
        model.to(float64);
        model.eval();   // batch norm uses its running statistics: the loss is a deterministic function of the weights
        Assert.Equal(new long[] { 3, 6 }, model.encode(x1).shape);
        Assert.Equal(new long[] { 3, 3 }, model.forward(x1).shape);
        var firstConv = (Conv2d)model.encoder[0];
        var lastProjection = (Linear)model.projector[model.projector.Count - 1];
        double error = autograd.gradcheck(() => NTXent.Loss(model.forward(x1), model.forward(x2), 0.5), firstConv.weight, lastProjection.weight);
        Assert.True(error < 1e-4, $"relative error {error:E2}");
        Assert.Throws<ArgumentException>(() => model.encode(randn(new long[] { 2, 1, 32, 32 }, float64)));
    }

    [Fact]
    public void ResizedCropEqualsGridSample()
    {
        using var scope = NewDisposeScope();
        var sizes = L("crop_sizes");
        var images = T("crop_images", sizes);
        var boxes = T("crop_boxes", sizes[0], 4);
        var cropped = ContrastiveViews.ResizedCrop(images, boxes);
        Assert.Equal(sizes, cropped.shape);
        Assert.True(Gap(cropped, D("crop_result")) < 1e-12, "the crop differs from grid_sample's");
    }

    [Fact]
    public void GaussianBlurEqualsANormalisedConvolution()
    {
        using var scope = NewDisposeScope();
        var sizes = L("crop_sizes");
        var images = T("crop_images", sizes);
        var blurred = ContrastiveViews.GaussianBlur(images, tensor(D("blur_sigmas"), dtype: float64));
        Assert.True(Gap(blurred, D("blur_result")) < 1e-12, "the blur differs from the convolution's");
    }

    [Fact]
    public void KNearestNeighborsEqualsScikitLearn()
    {
        using var scope = NewDisposeScope();
        var sizes = L("knn_sizes");
        var reference = T("knn_ref", sizes[0], sizes[2]);
        var queries = T("knn_queries", sizes[1], sizes[2]);
        using var knn = new KNearestNeighbors(reference, tensor(L("knn_labels")), (int)sizes[3]);
        foreach (var k in new[] { 1, 4, 7 })
        {
            var expected = Ref["knn_predictions"]![k.ToString()]!.AsArray().Select(x => (long)x!).ToArray();
            Assert.Equal(expected, knn.Predict(queries, k).ToArray<long>());
        }
        var neighbors = Ref["knn_predictions"]!["neighbors7"]!.AsArray().Select(x => (long)x!).ToArray();
        Assert.Equal(neighbors, knn.Neighbors(queries, 7, chunk: 7).ToArray<long>());   // chunks smaller than the query count
    }

    [Fact]
    public void PcaEqualsNumpysEigenvectors()
    {
        using var scope = NewDisposeScope();
        var x = T("pca_x", 50, 5);
        Assert.True(Gap(Pca.Project(x, 2), D("pca_projection")) < 1e-9, "the projection differs from numpy's eigh");
    }
}
