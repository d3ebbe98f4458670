namespace Course.Diffusion;

/// <summary>Which variance the reverse step uses: β_t (Ho et al.'s default) or the posterior's β̃_t = β_t (1 − ᾱ_{t−1})/(1 − ᾱ_t).</summary>
public enum ReverseVariance { Beta, Posterior }

/// <summary>
/// DDPM's ancestral sampling: start from x_{T−1} ~ N(0, I) and walk the learned reverse chain one step at a time,
/// <code>
///   x_{t−1} = μ_θ(x_t, t) + σ_t z,     μ_θ = ( x_t − β_t / √(1 − ᾱ_t) · ε_θ(x_t, t) ) / √α_t,     z ~ N(0, I)
/// </code>
/// with no noise added at the last step (t = 0), whose mean is the sample. T network evaluations per sample.
/// </summary>
public static class AncestralSampler
{
    /// <summary>The mean of the reverse step, μ_θ(x_t, t), from the model's noise estimate.</summary>
    public static Tensor mean(NoiseSchedule schedule, Tensor xt, int t, Tensor epsilon)
    {
        schedule.CheckStep(t);
        return (xt - schedule.Betas[t] / Math.Sqrt(1 - schedule.AlphaBars[t]) * epsilon) / Math.Sqrt(schedule.Alphas[t]);
    }

    /// <summary>σ_t² of the reverse step at t (0 at t = 0).</summary>
    public static double Variance(NoiseSchedule schedule, int t, ReverseVariance variance) =>
        t == 0 ? 0 : variance == ReverseVariance.Beta ? schedule.Betas[t] : schedule.PosteriorVariance(t);

    /// <summary>
    /// Runs the whole reverse chain from <paramref name="xT"/> (the noise at step T − 1) and returns x at the end (the
    /// sample, not clamped). <paramref name="noise"/> gives z for each step (default: standard normal like x); a
    /// function that returns zeros gives the mean path. <paramref name="onStep"/> sees (t, x_{t−1}) after every step.
    /// With <paramref name="clip"/>, the clean image implied by ε̂ is clipped to [−clip, clip] and ε̂ recomputed from
    /// it before the step (<see cref="Ddpm.clip_x0"/>); without, the step is exactly μ_θ above.
    /// </summary>
    public static Tensor sample(NoisePredictor model, NoiseSchedule schedule, Tensor xT, ReverseVariance variance = ReverseVariance.Beta,
                                Func<Tensor, Tensor>? noise = null, Action<int, Tensor>? onStep = null, double? clip = null)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(schedule); ArgumentNullException.ThrowIfNull(xT);
        noise ??= x => randn_like(x);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = xT;
        for (int t = schedule.T - 1; t >= 0; t--)
        {
            Tensor next;
            using (var step = NewDisposeScope())
            {
                var epsilon = model(x, Ddpm.Steps(x.size(0), t, x.device));
                if (clip is { } c) epsilon = Ddpm.clip_x0(schedule, x, t, epsilon, c).Epsilon;
                next = mean(schedule, x, t, epsilon);
                double sigma2 = Variance(schedule, t, variance);
                if (sigma2 > 0) next = next + Math.Sqrt(sigma2) * noise(x);
                next.MoveToOuterDisposeScope();
            }
            if (!ReferenceEquals(x, xT)) x.Dispose();
            x = next;
            onStep?.Invoke(t, x);
        }
        return ReferenceEquals(x, xT) ? x.clone().MoveToOuterDisposeScope() : x.MoveToOuterDisposeScope();
    }
}
