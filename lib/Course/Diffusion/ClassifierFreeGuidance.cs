namespace Course.Diffusion;

/// <summary>
/// Classifier-free guidance (Ho and Salimans, 2022). One network learns both the conditional and the unconditional
/// noise: during training the condition is replaced by the empty condition ∅ with probability p. At sampling time
/// the two estimates are extrapolated by the guidance scale w,
/// <code>
///   ε̃ = ε_θ(x_t, t, ∅) + w · ( ε_θ(x_t, t, c) − ε_θ(x_t, t, ∅) )
/// </code>
/// w = 0 is the unconditional model, w = 1 the conditional one, w &gt; 1 pushes samples towards what distinguishes
/// the condition (at the cost of variety). (The paper writes (1 + w') ε_c − w' ε_∅, the same thing with w = 1 + w'.)
/// </summary>
public static class ClassifierFreeGuidance
{
    /// <summary>ε_∅ + w (ε_c − ε_∅).</summary>
    public static Tensor combine(Tensor unconditional, Tensor conditional, double scale) => unconditional + scale * (conditional - unconditional);

    /// <summary>
    /// The guided noise predictor for the conditions [B, D] at scale w: ε_∅ + w (ε_c − ε_∅), from two passes of the
    /// model (one with the conditions, one with none). At w = 0 only the unconditional pass runs, at w = 1 only the
    /// conditional one.
    /// </summary>
    public static NoisePredictor Guide(ConditionalNoisePredictor model, Tensor condition, double scale)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(condition);
        if (!double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the guidance scale must be a finite number.");
        if (condition.dim() != 2) throw new ArgumentException($"conditions must be [B, D], not [{string.Join(", ", condition.shape)}].", nameof(condition));
        return (xt, t) =>
        {
            if (xt.size(0) != condition.size(0)) throw new ArgumentException($"x_t holds {xt.size(0)} examples but there are {condition.size(0)} conditions.", nameof(xt));
            if (scale == 0) return model(xt, t, null);
            if (scale == 1) return model(xt, t, condition);
            return combine(model(xt, t, null), model(xt, t, condition), scale);
        };
    }

    /// <summary>
    /// The training-time dropout of the condition: which rows of a batch of <paramref name="batch"/> train the
    /// unconditional model (their condition replaced by ∅), each with probability p: [B] bool.
    /// </summary>
    public static Tensor DropMask(long batch, double p, Device device)
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "the drop probability must lie in [0, 1].");
        return rand(new[] { batch }, device: device).lt(p);
    }
}
