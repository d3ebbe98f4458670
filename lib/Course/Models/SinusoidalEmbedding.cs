namespace Course.Models;

/// <summary>
/// The Transformer's sinusoidal position code applied to a diffusion step t (a number, not a position in a sequence):
/// for i = 0 … d/2 − 1, with frequency ω_i = 10000^(−i/(d/2)),
/// <code>
///   emb(t) = [ sin(ω_0 t), …, sin(ω_{d/2−1} t),  cos(ω_0 t), …, cos(ω_{d/2−1} t) ]
/// </code>
/// so nearby steps get similar codes and the network can read both coarse and fine differences of t.
/// </summary>
public static class SinusoidalEmbedding
{
    /// <summary>Steps t [B] (any numeric dtype) → codes [B, dim] (dim even) in <paramref name="dtype"/> (default float32).</summary>
    public static Tensor Of(Tensor t, long dim, ScalarType? dtype = null, double maxPeriod = 10000)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (dim < 2 || dim % 2 != 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "the embedding size must be even and at least 2.");
        if (t.dim() != 1) throw new ArgumentException($"steps must be a vector [B], not [{string.Join(", ", t.shape)}].", nameof(t));
        long half = dim / 2;
        var type = dtype ?? float32;
        var frequencies = (arange(half, dtype: type, device: t.device) * (-Math.Log(maxPeriod) / half)).exp();
        var angles = t.to(type).view(-1, 1) * frequencies.view(1, -1);
        return cat(new[] { angles.sin(), angles.cos() }, 1);
    }
}
