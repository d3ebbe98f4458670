using System.Text.Json.Nodes;

namespace Models.Tests;

/// <summary>
/// Tip-Adapter: the affinity, cache logits, blended logits, loss and key gradient against PyTorch
/// (reference/tip_adapter.json, from make_tip_adapter_reference.py) and against hand arithmetic; α = 0 is zero-shot
/// CLIP exactly; a large β makes the cache a nearest-key classifier; Tip-Adapter-F trains the keys and nothing else,
/// as PyTorch's AdamW with a cosine schedule does, and its gradient matches finite differences in float64.
/// </summary>
public class TipAdapterTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "tip_adapter.json")))!;
    private static double[] D(string key) => Ref[key]!.AsArray().Select(x => (double)x!).ToArray();
    private static long[] L(string key) => Ref[key]!.AsArray().Select(x => (long)x!).ToArray();
    private static long I(string key) => (long)Ref[key]!;
    private static double Gap(Tensor a, double[] b)
    {
        var x = a.ToArray<double>();
        Assert.Equal(b.Length, x.Length);
        return x.Zip(b).Max(p => Math.Abs(p.First - p.Second));
    }

    private static TipAdapter Reference() =>
        new(tensor(D("features"), new[] { I("classes") * I("shots"), I("d") }), tensor(L("labels")),
            tensor(D("class_weights"), new[] { I("classes"), I("d") }), alpha: (double)Ref["alpha"]!, beta: (double)Ref["beta"]!, logit_scale: (double)Ref["scale"]!);

    private static Tensor Queries() => tensor(D("queries"), new[] { I("b"), I("d") });

    [Fact]
    public void AffinityCacheAndLogitsEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        using var adapter = Reference();
        var z = Queries();
        Assert.True(Gap(adapter.keys, D("keys")) < 1e-15, "the keys are not the normalised features");
        Assert.True(Gap(adapter.affinity(z), D("affinity")) < 1e-14, "affinity differs from PyTorch's");
        Assert.True(Gap(adapter.cache_logits(z), D("cache_logits")) < 1e-14, "cache logits differ from PyTorch's");
        Assert.True(Gap(adapter.forward(z), D("logits")) < 1e-13, "logits differ from PyTorch's");
    }

    [Fact]
    public void AffinityAndLogitsEqualHandArithmetic()
    {
        using var scope = NewDisposeScope();
        // keys (1, 0) of class 0 and (0, 2) → (0, 1) of class 1; W_C rows (1, 0) and (0.6, 0.8); α = 2, β = 3, s = 10
        var adapter = new TipAdapter(tensor(new double[,] { { 1, 0 }, { 0, 2 } }), tensor(new long[] { 0, 1 }),
            tensor(new double[,] { { 1, 0 }, { 0.6, 0.8 } }), alpha: 2, beta: 3, logit_scale: 10);
        // query (0.6, 0.8): cosines 0.6 and 0.8 → A = (e^{−1.2}, e^{−0.6}); CLIP logits 10·(0.6, 1.0)
        var z = tensor(new double[,] { { 0.6, 0.8 } });
        double a0 = Math.Exp(-3 * (1 - 0.6)), a1 = Math.Exp(-3 * (1 - 0.8));
        Assert.True(Gap(adapter.affinity(z), [a0, a1]) < 1e-15);
        Assert.True(Gap(adapter.cache_logits(z), [a0, a1]) < 1e-15);
        Assert.True(Gap(adapter.clip_logits(z), [6.0, 10.0]) < 1e-14);
        Assert.True(Gap(adapter.forward(z), [2 * a0 + 6, 2 * a1 + 10]) < 1e-14);
        // a query equal to a key has affinity exactly 1 with it, and e^{−β} with an orthogonal key
        Assert.True(Gap(adapter.affinity(tensor(new double[,] { { 1, 0 } })), [1, Math.Exp(-3)]) < 1e-15);
    }

    [Fact]
    public void ValuesAreOneHotLabels()
    {
        using var scope = NewDisposeScope();
        using var adapter = Reference();
        var labels = L("labels");
        var values = adapter.values.ToArray<double>();
        long c = I("classes");
        Assert.Equal(new long[] { labels.Length, c }, adapter.values.shape);
        for (int i = 0; i < labels.Length; i++)
            for (int j = 0; j < c; j++)
                Assert.Equal(j == labels[i] ? 1.0 : 0.0, values[i * c + j]);
        Assert.False(adapter.values.requires_grad);
        Assert.Throws<ArgumentException>(() => new TipAdapter(zeros(2, 4), tensor(new long[] { 0, 3 }), zeros(3, 4)));   // label 3 of 3 classes
        Assert.Throws<ArgumentException>(() => new TipAdapter(zeros(2, 4), tensor(new long[] { 0 }), zeros(3, 4)));
        Assert.Throws<ArgumentException>(() => new TipAdapter(zeros(2, 4), tensor(new long[] { 0, 1 }), zeros(3, 5)));
    }

    [Fact]
    public void AlphaZeroIsZeroShotClipExactly()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var adapter = new TipAdapter(randn(20, 8), randint(0, 5, new long[] { 20 }), F.normalize(randn(5, 8), dim: -1), alpha: 0, beta: 7, logit_scale: 100);
        var z = F.normalize(randn(50, 8), dim: -1);
        var clip = 100 * z.matmul(adapter.class_weights.t());
        Assert.Equal(clip.ToArray<float>(), adapter.forward(z).ToArray<float>());
        Assert.Equal(ZeroShot.Predict(z, adapter.class_weights).ToArray<long>(), adapter.predict(z).ToArray<long>());
        // and α > 0 does change some prediction here (the test above is not vacuous)
        adapter.alpha = 1000;
        Assert.NotEqual(ZeroShot.Predict(z, adapter.class_weights).ToArray<long>(), adapter.predict(z).ToArray<long>());
    }

    [Fact]
    public void LargeBetaMakesTheCacheANearestKeyClassifier()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var keys = F.normalize(randn(new long[] { 12, 6 }, float64), dim: -1);
        var labels = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3 });
        var queries = F.normalize(keys.index_select(0, tensor(new long[] { 3, 7, 0, 10, 5 })) + 0.05 * randn(new long[] { 5, 6 }, float64), dim: -1);
        var adapter = new TipAdapter(keys, labels, zeros(new long[] { 4, 6 }, float64), alpha: 1, beta: 2000);
        var k = keys.ToArray<double>(); var q = queries.ToArray<double>(); var y = labels.ToArray<long>();
        var cache = adapter.cache_logits(queries);
        var share = (cache / cache.sum(1, keepdim: true)).ToArray<double>();
        for (int i = 0; i < 5; i++)
        {
            // the nearest key and the margin to the next, by a loop in float64
            var cosines = Enumerable.Range(0, 12).Select(j => Enumerable.Range(0, 6).Sum(t => q[i * 6 + t] * k[j * 6 + t])).ToArray();
            int nearest = Array.IndexOf(cosines, cosines.Max());
            double second = cosines.Where((_, j) => j != nearest).Max();
            Assert.True(cosines[nearest] - second > 0.03, $"query {i}: the test needs a clear nearest key");
            for (int c = 0; c < 4; c++)
                Assert.True(Math.Abs(share[i * 4 + c] - (c == y[nearest] ? 1 : 0)) < 1e-12, $"query {i}, class {c}: share {share[i * 4 + c]}");
            Assert.Equal(y[nearest], adapter.predict(queries[i..(i + 1)]).item<long>());
        }
        // a small β spreads the weight: the nearest key's class no longer takes (almost) all of it
        adapter.beta = 1;
        var spread = adapter.cache_logits(queries);
        Assert.True((spread.max(1).values / spread.sum(1)).max().item<double>() < 0.9);
    }

    [Fact]
    public void LossAndKeyGradientEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        using var adapter = Reference();
        adapter.keys.requires_grad = true;
        var loss = F.cross_entropy(adapter.forward(Queries()), tensor(L("query_labels")));
        Assert.Equal((double)Ref["loss"]!, loss.item<double>(), 13);
        loss.backward();
        Assert.True(Gap(adapter.keys.grad!, D("grad_keys")) < 1e-13, "the keys' gradient differs from PyTorch's");
    }

    [Fact]
    public void KeyGradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var adapter = new TipAdapter(randn(new long[] { 9, 5 }, float64), tensor(new long[] { 0, 0, 0, 1, 1, 1, 2, 2, 2 }),
            F.normalize(randn(new long[] { 3, 5 }, float64), dim: -1), alpha: 3, beta: 4, logit_scale: 20);
        var z = F.normalize(randn(new long[] { 7, 5 }, float64), dim: -1);
        var y = tensor(new long[] { 0, 1, 2, 2, 1, 0, 1 });
        adapter.keys.requires_grad = true;
        double error = autograd.gradcheck(() => F.cross_entropy(adapter.forward(z), y), adapter.keys);
        Assert.True(error < 1e-7, $"relative error {error:E2}");
    }

    [Fact]
    public void FineTuningTrainsOnlyTheKeysAsPyTorchsAdamWDoes()
    {
        using var scope = NewDisposeScope();
        using var adapter = Reference();
        Assert.Single(adapter.parameters());
        Assert.Same(adapter.keys, adapter.parameters().Single());
        Assert.False(adapter.keys.requires_grad);                            // training-free until fine-tuned
        var values = adapter.values.clone();
        var classWeights = adapter.class_weights.clone();
        var (alpha, beta) = (adapter.alpha, adapter.beta);
        // 3 epochs of one full batch each: the same 3 steps as the reference (a batch's order does not change its mean loss)
        var losses = adapter.fine_tune(Queries(), tensor(L("query_labels")), epochs: (int)I("steps"), lr: (double)Ref["lr"]!, batchSize: 64);
        Assert.True(Gap(adapter.keys, D("fine_tuned_keys")) < 1e-12, "fine-tuned keys differ from PyTorch's");
        Assert.True(losses.Zip(D("fine_tune_losses")).All(p => Math.Abs(p.First - p.Second) < 1e-12), $"losses {string.Join(", ", losses)}");
        Assert.True(Gap(adapter.keys, D("keys")) > 1e-3, "the keys did not move");
        Assert.Equal(values.ToArray<double>(), adapter.values.ToArray<double>());
        Assert.Equal(classWeights.ToArray<double>(), adapter.class_weights.ToArray<double>());
        Assert.Equal((alpha, beta), (adapter.alpha, adapter.beta));
        Assert.False(adapter.keys.requires_grad);
        Assert.Null(adapter.keys.grad);
    }

    [Fact]
    public void SearchPicksTheBestPairOnTheGridAndLeavesTheAdapterAsItWas()
    {
        using var scope = NewDisposeScope();
        // keys (1, 0) of class 0 and (0, 1) of class 1; CLIP's classifier W_C = [(1, 0), (0.6, −0.8)], s = 10
        var adapter = new TipAdapter(tensor(new double[,] { { 1, 0 }, { 0, 1 } }), tensor(new long[] { 0, 1 }),
            tensor(new double[,] { { 1, 0 }, { 0.6, -0.8 } }), alpha: 0.5, beta: 2, logit_scale: 10);
        var z = tensor(new double[,] { { 1, 0 }, { 0, 1 }, { 0.6, 0.8 } });
        var labels = tensor(new long[] { 0, 1, 0 });
        // by hand: query 0 is right for every (α, β). Query 1: CLIP logits (0, −8), wrong at α = 0; class 1 wins when
        // α(1 − e^{−β}) > 8. Query 2: CLIP (6, −2.8), right at α = 0; it turns wrong when α(e^{−0.2β} − e^{−0.4β}) > 8.8.
        // α = 0: 2/3. α = 10: β = 1 gives 6.3 < 8 (2/3), β = 10 gives 9.9995 > 8 and 1.17 < 8.8 (3/3).
        // α = 100: query 1 right, query 2 wrong (14.8 and 11.7 > 8.8): 2/3.
        var best = adapter.search(z, labels, [0, 10, 100], [1, 10]);
        Assert.Equal((10.0, 10.0), (best.Alpha, best.Beta));
        Assert.Equal(1.0, best.Accuracy);
        Assert.Equal((0.5, 2.0), (adapter.alpha, adapter.beta));            // the adapter's own pair is untouched
        // on ties the first pair of the grid is kept: without query 1 every pair but α = 100 is perfect
        var tie = adapter.search(z.index_select(0, tensor(new long[] { 0, 2 })), tensor(new long[] { 0, 0 }), [0, 10, 100], [1, 10]);
        Assert.Equal((0.0, 1.0, 1.0), tie);
        Assert.Throws<ArgumentException>(() => adapter.search(z, labels, [], [1]));
    }
}
