namespace Course.Compression;

/// <summary>
/// A linear layer with int8 weights and dynamically quantized inputs, as PyTorch's
/// <c>torch.ao.nn.quantized.dynamic.Linear</c>: the weights are quantized once (int8, symmetric, one scale per output
/// channel), each input is quantized when it arrives (uint8, one scale and zero point from its own range), the product is
/// summed as integers, and the sum is scaled back to float and the float bias added:
/// <para>y_bo = s_x · s_o · Σ_i (q_x,bi − z_x) q_W,oi + b_o.</para>
/// The integer sum is exact: it is formed in float32 when every partial sum fits in float32's 24-bit mantissa
/// (in_features · 255 · 127 &lt; 2²⁴) and in float64 otherwise (exact below 2⁵³), so it equals the int32 accumulation of an
/// int8 kernel; the rescaling and bias are float64, then the result is float32. (This binding has no int8 matrix
/// kernels, so the layer shows the arithmetic and the memory saving of int8, not its speed.)
/// <para><see cref="weight"/> holds the int8 integers q_W (it is not trained), <see cref="weight_scale"/> the
/// float32 scales s_o; <see cref="dequantized_weight"/> gives the float weights the layer effectively uses.</para>
/// </summary>
public sealed class DynamicQuantizedLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>The int8 weights q_W (out × in, not trained).</summary>
    public readonly Parameter weight;
    /// <summary>The float32 bias, if the float layer had one (not trained).</summary>
    public readonly Parameter? bias;
    /// <summary>The per-output-channel scales s_o (float32, a buffer).</summary>
    public readonly Tensor weight_scale;
    public long in_features => weight.size(1);
    public long out_features => weight.size(0);

    private DynamicQuantizedLinear(Tensor q, Tensor scale, Tensor? bias)
        : base(nameof(DynamicQuantizedLinear))
    {
        weight = nn.Parameter(q, requires_grad: false);
        this.bias = bias is null ? null : nn.Parameter(bias, requires_grad: false);
        weight_scale = scale;
        register_buffer(nameof(weight_scale), scale);
        RegisterComponents();
    }

    /// <summary>Quantizes a float layer's weights (the layer itself is left as it was; the bias is copied).</summary>
    public static DynamicQuantizedLinear from_float(Linear layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.weight.is_floating_point()) throw new ArgumentException($"a float layer is quantized, not one of {layer.weight.dtype}", nameof(layer));
        var (q, scale) = AffineQuantization.QuantizeWeight(layer.weight);
        Tensor? bias = null;
        if (layer.bias is not null) using (no_grad()) bias = layer.bias.detach().to(ScalarType.Float32).clone();
        var quantized = new DynamicQuantizedLinear(q, scale, bias);
        q.Dispose(); bias?.Dispose();          // the parameters hold their own references to the data
        return quantized;
    }

    /// <summary>Ŵ = s_o q_W,oi: the float weights this layer computes with.</summary>
    public Tensor dequantized_weight()
    {
        using var column = weight_scale.to(ScalarType.Float32).unsqueeze(1);
        using var zero = zeros(new[] { 1L }, device: weight.device);
        return AffineQuantization.Dequantize(weight, column, zero);
    }

    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dtype != ScalarType.Float32) throw new ArgumentException($"a dynamically quantized layer takes float32 inputs, not {x.dtype}", nameof(x));
        if (x.dim() < 1 || x.size(-1) != in_features) throw new ArgumentException($"expected inputs with {in_features} features in the last dimension; got [{string.Join(", ", x.shape)}]", nameof(x));
        using var _ = no_grad();
        var (qx, sx, zx) = AffineQuantization.QuantizeActivation(x);
        // exact integer sums: float32 holds every integer below 2^24, float64 every one below 2^53
        var accumulator = in_features * 255L * 127L < (1L << 24) ? ScalarType.Float32 : ScalarType.Float64;
        using (qx)
        using (var centred = qx.to(accumulator).sub((double)zx))
        using (var qw = weight.to(accumulator))
        using (var qwT = qw.t())
        using (var sums = centred.matmul(qwT))
        using (var exact = sums.to(ScalarType.Float64))
        using (var sw = weight_scale.to(ScalarType.Float64))
        using (var rescale = sw.mul((double)sx))
        using (var scaled = exact.mul(rescale))
        {
            if (bias is null) return scaled.to(ScalarType.Float32);
            using var b = bias.to(ScalarType.Float64);
            using var y = scaled.add(b);
            return y.to(ScalarType.Float32);
        }
    }

#if !TORCHSHARP // TorchSharp's modules have no extra_repr: there the description is the type's name
    public override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={bias is not null}, dtype=qint8, qscheme=per_channel_symmetric, activations=quint8 per tensor (dynamic)";
#endif
}
