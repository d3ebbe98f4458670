namespace Course.Compression;

/// <summary>
/// Affine (scale and zero point) quantization to 8-bit integers: q = clamp(round(x · (1/s)) + z, q_min, q_max) and back,
/// x̂ = s (q − z). The arithmetic is PyTorch's (<c>quantize_val</c>, fbgemm's <c>Quantize</c>): the reciprocal 1/s is
/// taken in float32 and multiplied, not divided; rounding is to the nearest integer, ties to even; the zero point is
/// added after rounding. So the integers equal <c>torch.quantize_per_channel</c> / <c>quantize_per_tensor</c>'s
/// <c>int_repr()</c> for the same scales and zero points.
/// <para>Two schemes, as dynamic quantization uses them:</para>
/// <para><b>Weights</b>: int8, symmetric (z = 0), one scale per output channel (row): s_o = max_i |W_oi| / 127, so the
/// largest weight of each row maps to ±127 and the range [−127, 127] is symmetric (−128 is never used, so −q is always an
/// int8). Per-row scales keep a row of small weights from being crushed by another row's large ones.</para>
/// <para><b>Activations</b>: uint8, asymmetric, one scale per tensor chosen from the tensor itself at run time (that is
/// what makes the scheme dynamic): the range [min(x, 0), max(x, 0)] is spread over 0..255, s = (max − min) / 255,
/// z = round(−min / s). Asymmetric because activations are often one-sided (after a ReLU, all ≥ 0): a symmetric range
/// would leave half the codes unused and double the rounding step. The range always contains 0, so 0 (padding, a dead
/// ReLU) is represented exactly, as the integer z.</para>
/// Scales are float32 numbers, worked out on the host.
/// </summary>
public static class AffineQuantization
{
    /// <summary>
    /// q = clamp(round(x · (1/s)) + z, qmin, qmax), as integers of <paramref name="dtype"/>. <paramref name="scale"/> and
    /// <paramref name="zeroPoint"/> broadcast against x (one value, or a column of per-row values).
    /// </summary>
    public static Tensor Quantize(Tensor x, Tensor scale, Tensor zeroPoint, long qmin, long qmax, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(scale); ArgumentNullException.ThrowIfNull(zeroPoint);
        if (x.dtype != ScalarType.Float32) throw new ArgumentException($"quantization takes float32 values, not {x.dtype}", nameof(x));
        if (qmin > qmax) throw new ArgumentException($"qmin ({qmin}) is above qmax ({qmax})");
        using var inverse = scale.to(ScalarType.Float32).reciprocal();                  // 1/s in float32, as fbgemm
        using var scaled = x.mul(inverse);
        using var rounded = scaled.round();                                             // ties to even (nearbyint)
        using var shifted = rounded.add(zeroPoint.to(ScalarType.Float32));
        using var clamped = shifted.clamp(qmin, qmax);
        return clamped.to(dtype);
    }

    /// <summary>x̂ = s (q − z), in float32.</summary>
    public static Tensor Dequantize(Tensor q, Tensor scale, Tensor zeroPoint)
    {
        using var centred = q.to(ScalarType.Float32).sub(zeroPoint.to(ScalarType.Float32));
        return centred.mul(scale.to(ScalarType.Float32));
    }

    /// <summary>The per-row scales of symmetric int8 weights: s_o = max_i |W_oi| / 127 in float32 (1 for a row of zeros).</summary>
    public static float[] SymmetricScales(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 2) throw new ArgumentException($"weights to quantize per output channel are (out, in); got [{string.Join(", ", weight.shape)}]", nameof(weight));
        float[] amax;
        using (no_grad()) using (var scope = NewDisposeScope()) amax = weight.detach().to(ScalarType.Float32).abs().max(1).values.cpu().data<float>().ToArray();
        return amax.Select((a, row) => !float.IsFinite(a)
            ? throw new ArgumentException($"weight row {row} holds a NaN or infinite value", nameof(weight))
            : a == 0 ? 1f : a / 127f).ToArray();
    }

    /// <summary>Weights to int8, symmetric, per output channel: (q (out, in) int8, scales (out) float32).</summary>
    public static (Tensor q, Tensor scale) QuantizeWeight(Tensor weight)
    {
        var scales = SymmetricScales(weight);
        using var _ = no_grad();
        var s = tensor(scales, device: weight.device);
        using var column = s.unsqueeze(1);
        using var zero = zeros(new[] { 1L }, device: weight.device);
        using var w = weight.detach().to(ScalarType.Float32);
        return (Quantize(w, column, zero, -127, 127, ScalarType.Int8), s);
    }

    /// <summary>
    /// The scale and zero point of uint8 activations for this tensor's range: s = (max − min) / 255 in float32 over
    /// [min(x, 0), max(x, 0)], z = round(−min / s) (ties to even) in [0, 255]; s = 1, z = 0 when x is all zeros.
    /// </summary>
    public static (float scale, long zeroPoint) ActivationParameters(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.numel() == 0) throw new ArgumentException("cannot choose a quantization range for an empty tensor", nameof(x));
        float lo, hi;
        using (no_grad())
        {
            using var min = x.min(); using var max = x.max();
            (lo, hi) = (min.item<float>(), max.item<float>());
        }
        if (!float.IsFinite(lo) || !float.IsFinite(hi)) throw new ArgumentException("the input holds a NaN or infinite value; it cannot be quantized", nameof(x));
        lo = Math.Min(lo, 0f); hi = Math.Max(hi, 0f);
        if (hi == lo) return (1f, 0);
        float scale = (hi - lo) / 255f;
        float z = -lo / scale;
        return (scale, (long)Math.Clamp(Math.Round((double)z, MidpointRounding.ToEven), 0, 255));
    }

    /// <summary>Activations to uint8 with their own range (<see cref="ActivationParameters"/>): (q, scale, zero point).</summary>
    public static (Tensor q, float scale, long zeroPoint) QuantizeActivation(Tensor x)
    {
        var (scale, zeroPoint) = ActivationParameters(x);
        using var s = tensor(scale, ScalarType.Float32, x.device);
        using var z = tensor((double)zeroPoint, ScalarType.Float32, x.device);
        using var _ = no_grad();
        return (Quantize(x, s, z, 0, 255, ScalarType.Byte), scale, zeroPoint);
    }
}
