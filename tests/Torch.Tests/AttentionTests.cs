namespace Torch.Tests;

/// <summary>Runs only where the shim's CPU attention kernel is built (libtorch 1.x with a BLAS), saying why otherwise.</summary>
public sealed class CpuAttentionFactAttribute : FactAttribute
{
    public CpuAttentionFactAttribute()
    {
        if (!backends.cpu_attention_available())
            Skip = $"the shim's CPU attention kernel is built only against libtorch 1.x (this is {__version__}, which has its own fused kernel)";
    }
}

/// <summary>
/// The shim's CPU attention kernel against its definition softmax(q kᵀ / √d + mask) v, written out here with plain
/// tensor ops: outputs, weights and gradients in float64, finite differences, dropout, and bad input.
/// </summary>
public class AttentionTests
{
    // The definition, composed in the test itself (the oracle): returns (output, weights).
    private static (Tensor, Tensor) Definition(Tensor q, Tensor k, Tensor v, Tensor? mask, bool causal, Tensor? keep = null)
    {
        long L = q.size(-2), S = k.size(-2);
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(q.size(-1));
        if (causal) scores = scores.masked_fill(ones(L, S, @bool).triu(1), double.NegativeInfinity);
        if (mask is not null) scores = mask.dtype == @bool ? scores.masked_fill(mask.logical_not(), double.NegativeInfinity) : scores + mask;
        var weights = scores.softmax(-1);
        return ((keep is null ? weights : weights * keep).matmul(v), weights);
    }

    // q (2, 3, 5, 8), k (2, 3, 7, 8), v (2, 3, 7, 6): more keys than queries, value width unlike query width.
    private static (Tensor q, Tensor k, Tensor v) Inputs(ScalarType dtype = ScalarType.Float64)
    {
        manual_seed(11);
        return (randn(new long[] { 2, 3, 5, 8 }, dtype).requires_grad_(), randn(new long[] { 2, 3, 7, 8 }, dtype).requires_grad_(),
                randn(new long[] { 2, 3, 7, 6 }, dtype).requires_grad_());
    }

    // the masks of the course's models: key padding (B, 1, 1, S), an additive float mask (L, S), none
    public static TheoryData<string, bool> Cases => new()
    {
        { "none", false }, { "none", true }, { "padding", false }, { "padding", true }, { "additive", false }, { "additive", true },
    };

    private static Tensor? Mask(string kind) => kind switch
    {
        "padding" => tensor(new[] { true, true, true, true, true, false, false, true, true, true, true, true, true, true }).view(2, 1, 1, 7),
        "additive" => randn(new long[] { 5, 7 }, float64),
        _ => null,
    };

    [CpuAttentionFact]
    public void TheCpuKernelIsWhatAttentionRunsOnTheCpu()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var (o, _) = F.attention(q, k, v);
        Assert.Contains("CpuAttention", o.grad_fn);
    }

    [CpuAttentionTheory]
    [MemberData(nameof(Cases))]
    public void OutputAndWeightsEqualTheDefinition(string mask, bool causal)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var m = Mask(mask);
        var (o, w) = F.attention(q, k, v, m, is_causal: causal);
        var (eo, ew) = Definition(q, k, v, m, causal);
        Assert.Equal(new long[] { 2, 3, 5, 6 }, o.shape);
        Assert.Equal(new long[] { 2, 3, 5, 7 }, w.shape);
        Assert.True(autograd.max_relative_error(o, eo) < 1e-12, $"output: relative error {autograd.max_relative_error(o, eo):E2}");
        Assert.True(autograd.max_relative_error(w, ew) < 1e-12, $"weights: relative error {autograd.max_relative_error(w, ew):E2}");
        Assert.False(w.requires_grad);
        Assert.True(F.scaled_dot_product_attention(q, k, v, m, is_causal: causal).allclose(eo, 1e-12, 1e-12));
    }

    [CpuAttentionTheory]
    [MemberData(nameof(Cases))]
    public void GradientsEqualTheDefinitionsGradients(string mask, bool causal)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var m = Mask(mask);
        var g = randn(new long[] { 2, 3, 5, 6 }, float64);
        Tensor[] Grads(Tensor output)
        {
            q.grad = k.grad = v.grad = null;
            (output * g).sum().backward();
            return new[] { q.grad!, k.grad!, v.grad! };
        }
        var kernel = Grads(F.attention(q, k, v, m, is_causal: causal).output);
        var definition = Grads(Definition(q, k, v, m, causal).Item1);
        for (int i = 0; i < 3; i++)
            Assert.True(autograd.max_relative_error(kernel[i], definition[i]) < 1e-10,
                $"{"qkv"[i]}: relative error {autograd.max_relative_error(kernel[i], definition[i]):E2}");
    }

    [CpuAttentionFact]
    public void HeadsReadWhereTheyLieGiveTheSameOutputAndGradients()
    {
        // q, k, v as the heads of (B, T, H, d) projections seen as (B, H, T, d), k also a slice of a wider tensor
        using var scope = NewDisposeScope();
        manual_seed(12);
        var qp = randn(new long[] { 2, 5, 3, 8 }, float64).requires_grad_();
        var kp = randn(new long[] { 2, 7, 3, 12 }, float64).requires_grad_();
        var vp = randn(new long[] { 2, 7, 3, 6 }, float64).requires_grad_();
        Tensor Q() => qp.transpose(1, 2);
        Tensor K() => kp[.., .., .., ..8].transpose(1, 2);
        Tensor V() => vp.transpose(1, 2);
        var g = randn(new long[] { 2, 3, 5, 6 }, float64);
        var (o, w) = F.attention(Q(), K(), V(), is_causal: true);
        var (eo, ew) = Definition(Q(), K(), V(), null, true);
        Assert.True(o.allclose(eo, 1e-12, 1e-12) && w.allclose(ew, 1e-12, 1e-12));
        (o * g).sum().backward();
        var kernel = new[] { qp.grad!, kp.grad!, vp.grad! };
        qp.grad = kp.grad = vp.grad = null;
        (eo * g).sum().backward();
        var definition = new[] { qp.grad!, kp.grad!, vp.grad! };
        for (int i = 0; i < 3; i++) Assert.True(kernel[i].allclose(definition[i], 1e-10, 1e-12), $"{"qkv"[i]} gradient differs");
        Assert.Equal(0.0, kernel[1][.., .., .., 8..].abs().sum().item<double>());   // the unread part of k gets nothing
    }

    [CpuAttentionFact]
    public void GradientsEqualFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs();
        var m = Mask("padding");
        var g = randn(new long[] { 2, 3, 5, 6 }, float64);
        // centred differences with ε = 1e-5 are good to about 1e-6 relative on the smallest gradient elements here
        double error = autograd.gradcheck(() => (F.attention(q, k, v, m, is_causal: true).output * g).sum(), q, k, v);
        Assert.True(error < 1e-6, $"relative error {error:E2}");
    }

    [CpuAttentionFact]
    public void Float32AgreesWithFloat64()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs(ScalarType.Float32);
        var (o32, _) = F.attention(q, k, v, is_causal: true);
        var (o64, _) = F.attention(q.to(float64), k.to(float64), v.to(float64), is_causal: true);
        Assert.Equal(ScalarType.Float32, o32.dtype);
        Assert.True(o32.to(float64).allclose(o64, 1e-5, 1e-6));
    }

    [CpuAttentionFact]
    public void DropoutZeroesOrRescalesEachWeightAndBackpropagatesThroughTheSameMask()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        const double p = 0.25;
        // with v = I the output is the dropped weights themselves: each is 0 or w / (1 − p)
        var q = randn(new long[] { 16, 4, 9, 8 }, float64).requires_grad_();
        var k = randn(new long[] { 16, 4, 9, 8 }, float64).requires_grad_();
        var v = eye(9, float64).expand(16, 4, 9, 9).contiguous().requires_grad_();
        var (o, w) = F.attention(q, k, v, dropout_p: p);
        var kept = o.ne(0);
        Assert.True(o.allclose(w * kept / (1 - p), 1e-12, 1e-14));
        double droppedShare = 1 - kept.to(float64).mean().item<double>();
        Assert.InRange(droppedShare, p - 0.03, p + 0.03);   // 5,184 weights: 3 standard deviations is 0.018
        // the gradients are those of the definition with that mask
        var g = randn(o.shape, float64);
        q.grad = k.grad = v.grad = null;
        (o * g).sum().backward();
        var kernel = new[] { q.grad!, k.grad!, v.grad! };
        q.grad = k.grad = v.grad = null;
        (Definition(q, k, v, null, false, kept.to(float64) / (1 - p)).Item1 * g).sum().backward();
        var definition = new[] { q.grad!, k.grad!, v.grad! };
        for (int i = 0; i < 3; i++) Assert.True(kernel[i].allclose(definition[i], 1e-10, 1e-12), $"{"qkv"[i]} gradient differs");
        // the same seed draws the same mask
        manual_seed(6);
        var first = F.attention(q, k, v, dropout_p: p).output;
        manual_seed(6);
        Assert.True(first.allclose(F.attention(q, k, v, dropout_p: p).output, 0, 0));
    }

    [CpuAttentionFact]
    public void BadInputRaisesAnExceptionNamingTheCause()
    {
        using var scope = NewDisposeScope();
        var q = randn(2, 5, 8);
        var e = Assert.Throws<TorchException>(() => F.attention(q, randn(2, 7, 4), randn(2, 7, 6)));
        Assert.Contains("query width 8 differs from key width 4", e.Message);
        e = Assert.Throws<TorchException>(() => F.attention(q, randn(2, 7, 8), randn(2, 6, 6)));
        Assert.Contains("7 keys but 6 values", e.Message);
        e = Assert.Throws<TorchException>(() => F.attention(q, randn(3, 7, 8), randn(3, 7, 6)));
        Assert.Contains("must share their leading dimensions", e.Message);
        e = Assert.Throws<TorchException>(() => F.attention(q, randn(2, 7, 8).to(float64), randn(2, 7, 6)));
        Assert.Contains("one dtype", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.attention(q, q, q, dropout_p: 1.0));
    }
}

public sealed class CpuAttentionTheoryAttribute : TheoryAttribute
{
    public CpuAttentionTheoryAttribute()
    {
        if (!backends.cpu_attention_available())
            Skip = new CpuAttentionFactAttribute().Skip;
    }
}
