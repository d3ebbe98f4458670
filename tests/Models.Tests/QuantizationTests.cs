using System.Text.Json.Nodes;
using Course.Compression;
using Course.FineTuning;

namespace Models.Tests;

/// <summary>
/// Dynamic int8 quantization: the integers of the weight and activation quantizers equal PyTorch's
/// <c>quantize_per_channel</c> / <c>quantize_per_tensor</c> on the same scales (reference/compression.json, from
/// make_compression_reference.py); rounding is to even with the reciprocal scale, as worked by hand; the layer's output
/// equals the documented integer scheme computed independently (by PyTorch's int64 arithmetic, and by C# long loops for
/// both accumulator paths); its error against the float layer stays within the analytic bound; QuantizeDynamic swaps
/// every linear layer and the stored bytes follow the formula.
/// </summary>
public class QuantizationTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "compression.json")))!;
    private static float[] Fl(string key) => Ref[key]!.AsArray().Select(v => (float)(double)v!).ToArray();
    private static long[] L(string key) => Ref[key]!.AsArray().Select(v => (long)v!).ToArray();

    private static Linear ReferenceLayer()
    {
        var layer = nn.Linear(10, 6);
        using (no_grad())
        {
            layer.weight.copy_(tensor(Fl("W"), new long[] { 6, 10 }));
            layer.bias!.copy_(tensor(Fl("b")));
        }
        return layer;
    }

    [Fact]
    public void WeightIntegersEqualTorchQuantizePerChannel()
    {
        using var scope = NewDisposeScope();
        var (q, scale) = AffineQuantization.QuantizeWeight(tensor(Fl("W"), new long[] { 6, 10 }));
        Assert.Equal(ScalarType.Int8, q.dtype);
        Assert.Equal(Fl("w_scales"), scale.ToArray<float>());                       // max|row| / 127, 1 for the zero row
        Assert.Equal(1f, scale.ToArray<float>()[2]);
        Assert.Equal(L("q_w"), q.to(int64).ToArray<long>());
    }

    [Fact]
    public void ActivationIntegersEqualTorchQuantizePerTensor()
    {
        using var scope = NewDisposeScope();
        foreach (var name in new[] { "x", "r" })
        {
            var x = tensor(Fl(name), new long[] { Fl(name).Length / 10, 10 });
            var (q, s, z) = AffineQuantization.QuantizeActivation(x);
            Assert.Equal(ScalarType.Byte, q.dtype);
            Assert.Equal((float)(double)Ref[$"{name}_scale"]!, s);
            Assert.Equal((long)Ref[$"{name}_zero_point"]!, z);
            Assert.Equal(L($"q_{name}"), q.to(int64).ToArray<long>());
        }
        // all ≥ 0 (after a ReLU): the range starts at 0, so z = 0 and the whole of 0..255 covers [0, max]
        Assert.Equal(0L, (long)Ref["r_zero_point"]!);
    }

    [Fact]
    public void QuantizeRoundsHalfToEvenWithTheReciprocalScale()
    {
        using var scope = NewDisposeScope();
        // s = 0.5 (1/s = 2 exactly), z = 3: x/s = 0.5, 1.5, -0.5, 2.5, -7.5, 200 → round to even 0, 2, -0, 2, -8, 200;
        // + 3 → 3, 5, 3, 5, -5, 203; clamped to [0, 127] → 3, 5, 3, 5, 0, 127
        var x = tensor(new float[] { 0.25f, 0.75f, -0.25f, 1.25f, -3.75f, 100f });
        var q = AffineQuantization.Quantize(x, tensor(0.5f), tensor(3f), 0, 127, ScalarType.Byte);
        Assert.Equal(new long[] { 3, 5, 3, 5, 0, 127 }, q.to(int64).ToArray<long>());
        Assert.Equal(new float[] { 0f, 1f, 0f, 1f, -1.5f, 62f }, AffineQuantization.Dequantize(q, tensor(0.5f), tensor(3f)).ToArray<float>());
        // weights [[0.5, -1, 0.25], [0, 0, 0]]: s = (1/127, 1), q = [[64 (63.5 → even), -127, 32 (31.75)], [0, 0, 0]]
        var (qw, sw) = AffineQuantization.QuantizeWeight(tensor(new float[] { 0.5f, -1f, 0.25f, 0, 0, 0 }, new long[] { 2, 3 }));
        Assert.Equal(new[] { 1f / 127f, 1f }, sw.ToArray<float>());
        Assert.Equal(new long[] { 64, -127, 32, 0, 0, 0 }, qw.to(int64).ToArray<long>());
        // activations [-1, 0, 3]: s = 4/255, z = round(63.75) = 64; an all-zero tensor gets s = 1, z = 0
        var (s, z) = AffineQuantization.ActivationParameters(tensor(new float[] { -1, 0, 3 }));
        Assert.Equal(4f / 255f, s);
        Assert.Equal(64L, z);
        Assert.Equal((1f, 0L), AffineQuantization.ActivationParameters(zeros(3)));
    }

    [Fact]
    public void LayerOutputEqualsTheIntegerSchemeComputedByPyTorch()
    {
        using var scope = NewDisposeScope();
        var q = DynamicQuantizedLinear.from_float(ReferenceLayer());
        Assert.Equal(L("q_w"), q.weight.to(int64).ToArray<long>());
        Assert.False(q.weight.requires_grad);
        Assert.Equal(Fl("y_x"), q.forward(tensor(Fl("x"), new long[] { 4, 10 })).ToArray<float>());
        Assert.Equal(Fl("y_r"), q.forward(tensor(Fl("r"), new long[] { 3, 10 })).ToArray<float>());
        // leading dimensions are kept: a (2, 2, 10) input gives the (4, 10) rows' outputs as (2, 2, 6)
        var y3 = q.forward(tensor(Fl("x"), new long[] { 2, 2, 10 }));
        Assert.Equal(new long[] { 2, 2, 6 }, y3.shape);
        Assert.Equal(Fl("y_x"), y3.ToArray<float>());
    }

    /// <summary>y_bo = s_x s_o Σ_i (q_x − z) q_W + b with long sums, float64 rescaling, float32 result.</summary>
    private static float[] IntegerReference(long[] qx, float sx, long zx, long[] qw, float[] sw, float[] bias, int rows, int inF, int outF)
    {
        var y = new float[rows * outF];
        for (int b = 0; b < rows; b++)
            for (int o = 0; o < outF; o++)
            {
                long sum = 0;
                for (int i = 0; i < inF; i++) sum += (qx[b * inF + i] - zx) * qw[o * inF + i];
                y[b * outF + o] = (float)(sum * ((double)sw[o] * (double)sx) + (double)bias[o]);
            }
        return y;
    }

    [Theory]
    [InlineData(40)]      // 40 · 255 · 127 < 2^24: float32 sums
    [InlineData(700)]     // 700 · 255 · 127 > 2^24: float64 sums
    public void LayerOutputEqualsIntegerArithmeticInBothAccumulators(int inF)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        const int rows = 5, outF = 7;
        var layer = nn.Linear(inF, outF);
        var x = randn(rows, inF) * 2 + 0.3;
        var q = DynamicQuantizedLinear.from_float(layer);
        var (qx, sx, zx) = AffineQuantization.QuantizeActivation(x);
        var expected = IntegerReference(qx.to(int64).ToArray<long>(), sx, zx, q.weight.to(int64).ToArray<long>(),
            q.weight_scale.ToArray<float>(), layer.bias!.ToArray<float>(), rows, inF, outF);
        Assert.Equal(expected, q.forward(x).ToArray<float>());
        // large inputs make large sums: still exact
        var big = x * 1000;
        var (qb, sb, zb) = AffineQuantization.QuantizeActivation(big);
        Assert.Equal(IntegerReference(qb.to(int64).ToArray<long>(), sb, zb, q.weight.to(int64).ToArray<long>(),
            q.weight_scale.ToArray<float>(), layer.bias!.ToArray<float>(), rows, inF, outF), q.forward(big).ToArray<float>());
    }

    [Fact]
    public void ErrorStaysWithinTheAnalyticBound()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        const int rows = 16, inF = 64, outF = 10;
        var layer = nn.Linear(inF, outF);
        var x = randn(rows, inF);
        var q = DynamicQuantizedLinear.from_float(layer);
        var yq = q.forward(x).ToArray<float>();
        var w = layer.weight.to(float64).ToArray<double>();
        var wHat = q.dequantized_weight().to(float64).ToArray<double>();
        var xs = x.to(float64).ToArray<double>();
        var bias = layer.bias!.to(float64).ToArray<double>();
        var sw = q.weight_scale.ToArray<float>();
        var (sx, _) = AffineQuantization.ActivationParameters(x);
        // x = x̂ + e_x, W = Ŵ + e_W with |e| ≤ half a step: |Ŵ x̂ − W x| ≤ Σ_i (s_o/2)|x_i| + (s_x/2)|Ŵ_oi|
        // (+ the float32 rounding of the output; the 1e-6 relative slack covers float32 1/s in the rounding)
        double worstRatio = 0;
        for (int b = 0; b < rows; b++)
            for (int o = 0; o < outF; o++)
            {
                double exact = bias[o], bound = 0;
                for (int i = 0; i < inF; i++)
                {
                    exact += w[o * inF + i] * xs[b * inF + i];
                    bound += sw[o] / 2.0 * Math.Abs(xs[b * inF + i]) + sx / 2.0 * Math.Abs(wHat[o * inF + i]);
                }
                double error = Math.Abs(yq[b * outF + o] - exact);
                double allowed = bound * (1 + 1e-6) + Math.Abs(exact) * Math.Pow(2, -23);
                Assert.True(error <= allowed, $"row {b}, output {o}: error {error:g6} above the bound {allowed:g6}");
                worstRatio = Math.Max(worstRatio, error / bound);
            }
        Assert.True(worstRatio > 0.01, $"the errors are suspiciously small ({worstRatio:g3} of the bound): is the layer quantizing?");
    }

    [Fact]
    public void QuantizeDynamicSwapsEveryLinearAndShrinksTheModel()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        var mlp = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3));
        var x = randn(6, 20);
        mlp.eval();
        var fp32 = mlp.forward(x);
        long fp32Bytes = Quantization.StorageBytes(mlp);
        Assert.Equal(4L * (20 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3), fp32Bytes);
        var names = Quantization.QuantizeDynamic(mlp);
        Assert.Equal(new[] { "0", "2", "4" }, names);
        Assert.All(names, n => Assert.IsType<DynamicQuantizedLinear>(mlp.get_submodule(n)));
        // int8 weights (1 byte), a float32 scale and a float32 bias per output
        Assert.Equal((20 * 16 + 16 * 8 + 8 * 3) + 4L * 2 * (16 + 8 + 3), Quantization.StorageBytes(mlp));
        var int8 = mlp.forward(x);
        double gap = (int8 - fp32).abs().max().ToSingle(), size = fp32.abs().max().ToSingle();
        Assert.True(gap > 0 && gap < 0.05 * size, $"int8 outputs differ by {gap:g3} (outputs up to {size:g3})");
        Assert.Empty(Quantization.QuantizeDynamic(mlp));                             // nothing left to quantize
        Assert.Equal(new[] { "0.weight_scale", "2.weight_scale", "4.weight_scale" }, mlp.named_buffers().Select(b => b.name));
    }

    [Fact]
    public void AModelWhoseFieldsCannotHoldTheInt8LayerIsRefusedUnchanged()
    {
        using var scope = NewDisposeScope();
        manual_seed(15);
        var mlp = new Mlp(6, 4, 2);                       // its layers are a ModuleList<Linear>
        var e = Assert.Throws<ArgumentException>(() => Quantization.QuantizeDynamic(mlp));
        Assert.Contains("'layers.0'", e.Message);
        Assert.Contains("ModuleList<Linear>", e.Message);
        Assert.All(mlp.layers, l => Assert.IsType<Linear>(l));
        Assert.All(mlp.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        // the ViT's head is a field typed Linear; its attention projections could take int8 layers, but none is replaced
        var vit = new VisionTransformer(image_size: 28, patch_size: 7, d_model: 8, depth: 1, heads: 2, mlp_ratio: 2, dropout: 0);
        Assert.Contains("'head'", Assert.Throws<ArgumentException>(() => Quantization.QuantizeDynamic(vit)).Message);
        Assert.IsType<Linear>(vit.blocks[0].attn.q_proj);
    }

    [Fact]
    public void BadInputsAreRefusedWithTheirCause()
    {
        using var scope = NewDisposeScope();
        var q = DynamicQuantizedLinear.from_float(ReferenceLayer());
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() => q.forward(zeros(new long[] { 2, 10 }, float64))).Message);
        Assert.Contains("10 features", Assert.Throws<ArgumentException>(() => q.forward(zeros(2, 9))).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => q.forward(full(new long[] { 1, 10 }, double.NaN))).Message);
        Assert.Throws<ArgumentException>(() => Quantization.QuantizeDynamic(nn.Linear(3, 2)));
        // a LoRA layer would lose its update: refused, naming it
        manual_seed(14);
        var vit = new VisionTransformer(image_size: 28, patch_size: 7, d_model: 8, depth: 1, heads: 2, mlp_ratio: 2, dropout: 0);
        Lora.Inject(vit, new[] { "q_proj" }, r: 2);
        Assert.Contains("blocks.0.attn.q_proj", Assert.Throws<ArgumentException>(() => Quantization.QuantizeDynamic(vit)).Message);
    }
}
