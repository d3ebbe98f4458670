namespace Course.Diffusion;

/// <summary>
/// The DDPM training objective, Ho et al.'s "simple" loss: draw a step t uniformly, noise the clean batch in closed
/// form, and ask the network for the noise it added,
/// <code>
///   L_simple = E_{x_0, t, ε} ‖ ε − ε_θ( √ᾱ_t x_0 + √(1 − ᾱ_t) ε, t ) ‖²
/// </code>
/// (the variational bound with its per-step weights dropped; predicting ε is predicting the posterior mean, reparametrised).
/// </summary>
public static class Ddpm
{
    /// <summary>
    /// The simple loss of one batch x_0 [B, …]: <paramref name="model"/> maps (x_t, t) to ε̂. Draws t and ε from
    /// libtorch's generator unless they are given.
    /// </summary>
    public static Tensor loss(NoisePredictor model, NoiseSchedule schedule, Tensor x0, Tensor? t = null, Tensor? noise = null)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(schedule); ArgumentNullException.ThrowIfNull(x0);
        t ??= randint(0, schedule.T, new[] { x0.size(0) }, dtype: int64, device: x0.device);
        noise ??= randn_like(x0);
        var xt = schedule.q_sample(x0, t, noise);
        return F.mse_loss(model(xt, t), noise);
    }

    /// <summary>The clean image implied by x_t and a noise estimate: x̂_0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t, at one step t for the whole batch.</summary>
    public static Tensor predict_x0(NoiseSchedule schedule, Tensor xt, int t, Tensor epsilon)
    {
        schedule.CheckStep(t);
        double ab = schedule.AlphaBars[t];
        return (xt - Math.Sqrt(1 - ab) * epsilon) / Math.Sqrt(ab);
    }

    /// <summary>
    /// The noise estimate that goes with a clean-image estimate clipped to [−clip, clip]: ε̂ = (x_t − √ᾱ_t x̂_0)/√(1 − ᾱ_t).
    /// Samplers use it to keep x̂_0 in the data's range (Ho et al.'s code does the same): at the noisiest steps,
    /// x̂_0 = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t divides a small error in ε̂ by a tiny √ᾱ_t.
    /// </summary>
    public static (Tensor X0, Tensor Epsilon) clip_x0(NoiseSchedule schedule, Tensor xt, int t, Tensor epsilon, double clip)
    {
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "the clip range must be positive.");
        double ab = schedule.AlphaBars[t];
        var x0 = predict_x0(schedule, xt, t, epsilon).clamp(-clip, clip);
        return (x0, (xt - Math.Sqrt(ab) * x0) / Math.Sqrt(1 - ab));
    }

    /// <summary>One step index for every example of a batch of <paramref name="batch"/>: [B] int64 filled with t.</summary>
    public static Tensor Steps(long batch, int t, Device device) => full(new[] { batch }, t, dtype: int64, device: device);
}
