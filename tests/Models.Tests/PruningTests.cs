using System.Text.Json.Nodes;
using Course.Compression;

namespace Models.Tests;

/// <summary>
/// Pruning masks against <c>torch.nn.utils.prune</c> (l1_unstructured, ln_structured with n = 1 and 2,
/// global_unstructured) on the same weights (reference/compression.json); the count rule (round half to even) and exact
/// counts under ties; masks applied after every optimizer step keep the pruned weights at zero through fine-tuning
/// while the others learn; bad amounts are refused.
/// </summary>
public class PruningTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "compression.json")))!["pruning"]!;
    private static float[] Fl(string key) => Ref[key]!.AsArray().Select(v => (float)(double)v!).ToArray();
    private static long[] Shape(string key) => Ref[key]!.AsArray().Select(v => (long)v!).ToArray();
    private static Tensor Linear() => tensor(Fl("linear_weight"), Shape("linear_shape"));
    private static Tensor Conv() => tensor(Fl("conv_weight"), Shape("conv_shape"));

    [Fact]
    public void UnstructuredMasksEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(Fl("l1_linear_0.3"), Pruning.L1UnstructuredMask(Linear(), 0.3).ToArray<float>());
        Assert.Equal(Fl("l1_linear_0.5"), Pruning.L1UnstructuredMask(Linear(), 0.5).ToArray<float>());
        Assert.Equal(Fl("l1_conv_0.7"), Pruning.L1UnstructuredMask(Conv(), 0.7).ToArray<float>());
        // 0.3 · 40 = 12 removed, 0.7 · 162 = 113.4 → 113
        Assert.Equal(12, Fl("l1_linear_0.3").Count(m => m == 0));
        Assert.Equal(113, Fl("l1_conv_0.7").Count(m => m == 0));
    }

    [Fact]
    public void StructuredMasksEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(Fl("ln2_linear_0.25"), Pruning.LnStructuredMask(Linear(), 0.25, n: 2).ToArray<float>());
        Assert.Equal(Fl("ln1_linear_0.5"), Pruning.LnStructuredMask(Linear(), 0.5, n: 1).ToArray<float>());
        Assert.Equal(Fl("ln2_conv_0.5"), Pruning.LnStructuredMask(Conv(), 0.5, n: 2).ToArray<float>());
        Assert.Equal(Fl("ln1_conv_0.33"), Pruning.LnStructuredMask(Conv(), 0.33, n: 1).ToArray<float>());
        // whole rows go: 0.25 · 8 = 2 neurons of 5 weights each; 0.33 · 6 = 1.98 → 2 channels of 27 weights
        var rows = Pruning.LnStructuredMask(Linear(), 0.25, n: 2).sum(1).ToArray<float>();
        Assert.Equal(2, rows.Count(r => r == 0));
        Assert.All(rows, r => Assert.True(r == 0 || r == 5));
        Assert.Equal(2 * 27, Fl("ln1_conv_0.33").Count(m => m == 0));
    }

    [Fact]
    public void GlobalMasksEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        var scale = (double)Ref["global_conv_scale"]!;
        var masks = Pruning.GlobalUnstructuredMasks(new[] { Linear(), Conv() * scale }, 0.4);
        Assert.Equal(Fl("global_0.4_linear"), masks[0].ToArray<float>());
        Assert.Equal(Fl("global_0.4_conv"), masks[1].ToArray<float>());
        // round(0.4 · 202) = 81 removed in all; the halved convolution loses a larger share than the linear layer
        int linearZeros = Fl("global_0.4_linear").Count(m => m == 0), convZeros = Fl("global_0.4_conv").Count(m => m == 0);
        Assert.Equal(81, linearZeros + convZeros);
        Assert.True((double)convZeros / 162 > (double)linearZeros / 40);
    }

    [Fact]
    public void CountsRoundHalfToEvenAndStayExactUnderTies()
    {
        Assert.Equal(2, Pruning.PruneCount(0.5, 5));      // round(2.5) = 2, as Python
        Assert.Equal(4, Pruning.PruneCount(0.5, 7));      // round(3.5) = 4
        Assert.Equal(0, Pruning.PruneCount(0, 9));
        Assert.Equal(9, Pruning.PruneCount(1, 9));
        using var scope = NewDisposeScope();
        // every |w| equal: which go is unspecified, how many is not
        var tied = tensor(new float[] { 1, -1, 1, -1, 1, -1, 1, -1, 1, -1 }, new long[] { 2, 5 });
        Assert.Equal(7f, Pruning.L1UnstructuredMask(tied, 0.3).sum().item<float>());
        Assert.Equal(5f, Pruning.LnStructuredMask(tied, 0.5, n: 2).sum().item<float>());     // round(1) = 1 of 2 rows
        Assert.Equal(0.3, Pruning.Sparsity(new[] { tied * Pruning.L1UnstructuredMask(tied, 3L) }));
    }

    [Fact]
    public void FineTuningKeepsThePrunedWeightsAtZero()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        var mlp = new Mlp(12, 10, 4);
        var before = mlp.layers.Select(l => l.weight.clone()).ToList();
        using var masks = PruningMasks.MagnitudeUnstructured(mlp, 0.6);
        Assert.Equal(new[] { "layers.0.weight", "layers.1.weight" }, masks.Entries.Select(e => e.name));
        long total = 12 * 10 + 10 * 4, removed = (long)Math.Round(0.6 * total, MidpointRounding.ToEven);
        Assert.Equal((double)removed / total, masks.MaskedFraction);
        Assert.Equal((double)removed / total, masks.Sparsity);
        var opt = optim.AdamW(mlp.parameters(), lr: 0.05, weight_decay: 0.01);
        var (x, y) = (randn(32, 12), tensor(Enumerable.Range(0, 32).Select(i => (long)(i % 4)).ToArray()));
        for (int step = 0; step < 5; step++)
        {
            opt.zero_grad();
            F.cross_entropy(mlp.forward(x), y).backward();
            opt.step();
            // without the masks, Adam's update would move every pruned weight (they all get gradients)
            masks.Apply();
            Assert.Equal((double)removed / total, masks.Sparsity);
        }
        foreach (var ((_, w, m), old) in masks.Entries.Zip(before))
        {
            Assert.Equal(0f, (w * (1 - m)).abs().max().item<float>());                           // pruned: still zero
            var moved = ((w - old).abs() > 0).logical_and(m > 0).sum().item<long>();
            Assert.Equal(m.sum().item<float>(), (float)moved);                                   // kept: all learned
        }
        opt.Dispose();
    }

    [Fact]
    public void StructuredPruningZeroesWholeNeuronsOfTheNamedLayers()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        var mlp = new Mlp(6, 8, 3);
        using var masks = PruningMasks.Structured(mlp, 0.5, n: 1, layers: new[] { "layers.0" });
        var rowSums = mlp.layers[0].weight.abs().sum(1).ToArray<float>();
        Assert.Equal(4, rowSums.Count(s => s == 0));                                             // 4 of 8 neurons gone
        Assert.Equal(0.0, Pruning.Sparsity(new[] { (Tensor)mlp.layers[1].weight }));             // the last layer untouched
        Assert.Throws<ArgumentException>(() => PruningMasks.Structured(mlp, 0.5, layers: new[] { "layers.7" }));
    }

    [Fact]
    public void BadAmountsAreRefused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => Pruning.L1UnstructuredMask(Linear(), 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pruning.L1UnstructuredMask(Linear(), -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pruning.L1UnstructuredMask(Linear(), double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pruning.L1UnstructuredMask(Linear(), 41L));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pruning.LnStructuredMask(Linear(), 0.5, n: 2, dim: 2));
        Assert.Throws<ArgumentException>(() => Pruning.GlobalUnstructuredMasks(Array.Empty<Tensor>(), 0.5));
    }
}
