namespace Course.Diffusion;

/// <summary>
/// DDIM sampling (Song, Meng and Ermon, 2021): the same trained ε_θ, a non-Markovian reverse process that may skip
/// steps. On a decreasing subsequence τ of the steps, from t to the previous kept step s (ᾱ_s = 1 after the last):
/// <code>
///   x̂_0 = ( x_t − √(1 − ᾱ_t) ε̂ ) / √ᾱ_t
///   σ   = η · √( (1 − ᾱ_s)/(1 − ᾱ_t) ) · √( 1 − ᾱ_t/ᾱ_s )
///   x_s = √ᾱ_s · x̂_0  +  √(1 − ᾱ_s − σ²) · ε̂  +  σ z
/// </code>
/// η = 0 is deterministic (the same noise always gives the same image); η = 1 with every step is DDPM's ancestral
/// sampling with the posterior variance β̃_t, exactly.
/// </summary>
public static class DdimSampler
{
    /// <summary><paramref name="steps"/> of the T steps, evenly spaced and decreasing, ending at 0: T = 1000, 4 steps → 999, 666, 333, 0.</summary>
    public static int[] Timesteps(int T, int steps)
    {
        if (steps < 1 || steps > T) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"DDIM takes between 1 and T = {T} steps.");
        if (steps == 1) return [T - 1];
        return Enumerable.Range(0, steps).Select(i => (int)Math.Round((double)(T - 1) * (steps - 1 - i) / (steps - 1))).ToArray();
    }

    /// <summary>One DDIM update from step t to step s (s = −1: to the clean image), given ε̂ and, when η &gt; 0, the noise z.</summary>
    public static Tensor step(NoiseSchedule schedule, Tensor xt, int t, int s, Tensor epsilon, double eta, Tensor? z)
    {
        schedule.CheckStep(t);
        if (s < -1 || s >= t) throw new ArgumentOutOfRangeException(nameof(s), s, $"the next step must lie in −1 … {t - 1}.");
        double abT = schedule.AlphaBars[t], abS = s < 0 ? 1.0 : schedule.AlphaBars[s];
        var x0 = Ddpm.predict_x0(schedule, xt, t, epsilon);
        double sigma = eta * Math.Sqrt((1 - abS) / (1 - abT)) * Math.Sqrt(1 - abT / abS);
        var next = Math.Sqrt(abS) * x0 + Math.Sqrt(Math.Max(1 - abS - sigma * sigma, 0)) * epsilon;
        if (sigma > 0)
        {
            if (z is null) throw new ArgumentNullException(nameof(z), "η > 0 needs noise z.");
            next = next + sigma * z;
        }
        return next;
    }

    /// <summary>
    /// Samples from <paramref name="xT"/> with <paramref name="steps"/> network evaluations (<see cref="Timesteps"/>).
    /// <paramref name="noise"/> gives z when η &gt; 0 (default: standard normal like x); <paramref name="onStep"/> sees (t, x_s).
    /// With <paramref name="clip"/>, x̂_0 is clipped to [−clip, clip] and ε̂ recomputed from it (<see cref="Ddpm.clip_x0"/>).
    /// </summary>
    public static Tensor sample(NoisePredictor model, NoiseSchedule schedule, Tensor xT, int steps, double eta = 0,
                                Func<Tensor, Tensor>? noise = null, Action<int, Tensor>? onStep = null, double? clip = null)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(schedule); ArgumentNullException.ThrowIfNull(xT);
        if (eta < 0) throw new ArgumentOutOfRangeException(nameof(eta), eta, "η must be ≥ 0 (0: deterministic, 1: as much noise as DDPM).");
        noise ??= x => randn_like(x);
        var taus = Timesteps(schedule.T, steps);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = xT;
        for (int i = 0; i < taus.Length; i++)
        {
            int t = taus[i], s = i + 1 < taus.Length ? taus[i + 1] : -1;
            Tensor next;
            using (var inner = NewDisposeScope())
            {
                var epsilon = model(x, Ddpm.Steps(x.size(0), t, x.device));
                if (clip is { } c) epsilon = Ddpm.clip_x0(schedule, x, t, epsilon, c).Epsilon;
                bool noisy = eta > 0 && s >= 0;
                next = step(schedule, x, t, s, epsilon, noisy ? eta : 0, noisy ? noise(x) : null);
                next.MoveToOuterDisposeScope();
            }
            if (!ReferenceEquals(x, xT)) x.Dispose();
            x = next;
            onStep?.Invoke(t, x);
        }
        return x.MoveToOuterDisposeScope();
    }
}
