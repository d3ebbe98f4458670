namespace Course.Diffusion;

/// <summary>
/// The forward (noising) process of a DDPM (Ho et al., 2020) with its variance schedule β_0 … β_{T−1}. Time steps are
/// numbered from 0 (the first, least noisy step) to T − 1 (pure noise, near enough). One step of the chain is
/// <code>
///   q(x_t | x_{t−1}) = N( √α_t · x_{t−1},  β_t · I ),          α_t = 1 − β_t
/// </code>
/// and composing the Gaussians gives the closed form that training uses, with ᾱ_t = α_0 α_1 ⋯ α_t:
/// <code>
///   q(x_t | x_0) = N( √ᾱ_t · x_0,  (1 − ᾱ_t) · I )      ⇒      x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε,   ε ~ N(0, I)
/// </code>
/// Here "x_0" is the clean image and step t turns the image at noise level t − 1 into level t (the clean image is
/// level −1 with ᾱ_{−1} = 1), which is the paper's x_1 … x_T shifted down by one so that indices are 0-based.
/// The coefficients are float64 arrays; tensors get them at their own dtype and device.
/// </summary>
public sealed class NoiseSchedule
{
    /// <summary>β_t, α_t = 1 − β_t and ᾱ_t = Π_{s ≤ t} α_s, t = 0 … T − 1.</summary>
    public double[] Betas { get; }
    public double[] Alphas { get; }
    public double[] AlphaBars { get; }
    public int T => Betas.Length;
    public string Name { get; }

    public NoiseSchedule(double[] betas, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(betas);
        if (betas.Length == 0) throw new ArgumentException("a schedule needs at least one step.", nameof(betas));
        for (int t = 0; t < betas.Length; t++)
            if (!(betas[t] > 0 && betas[t] < 1))
                throw new ArgumentOutOfRangeException(nameof(betas), betas[t], $"β_{t} must lie in (0, 1).");
        Betas = (double[])betas.Clone();
        Alphas = Betas.Select(b => 1 - b).ToArray();
        AlphaBars = new double[Betas.Length];
        double product = 1;
        for (int t = 0; t < Betas.Length; t++) AlphaBars[t] = product *= Alphas[t];
        Name = name;
    }

    /// <summary>Ho et al.'s schedule: β rises linearly from <paramref name="betaStart"/> to <paramref name="betaEnd"/> over T steps.</summary>
    public static NoiseSchedule Linear(int T = 1000, double betaStart = 1e-4, double betaEnd = 0.02)
    {
        if (T < 2) throw new ArgumentOutOfRangeException(nameof(T), T, "a linear schedule needs at least two steps.");
        return new NoiseSchedule(Enumerable.Range(0, T).Select(t => betaStart + (betaEnd - betaStart) * t / (T - 1)).ToArray(), "linear");
    }

    /// <summary>
    /// Nichol and Dhariwal's cosine schedule: ᾱ(t) = f(t)/f(0) with f(t) = cos²( (t/T + s)/(1 + s) · π/2 ), so the
    /// signal fades slowly at both ends; β_t = 1 − ᾱ(t+1)/ᾱ(t), clipped at <paramref name="maxBeta"/> (the last steps
    /// would otherwise reach β = 1).
    /// </summary>
    public static NoiseSchedule Cosine(int T = 1000, double s = 0.008, double maxBeta = 0.999)
    {
        if (T < 2) throw new ArgumentOutOfRangeException(nameof(T), T, "a cosine schedule needs at least two steps.");
        double F(double t) { double c = Math.Cos((t / T + s) / (1 + s) * Math.PI / 2); return c * c; }
        return new NoiseSchedule(Enumerable.Range(0, T).Select(t => Math.Min(1 - F(t + 1) / F(t), maxBeta)).ToArray(), "cosine");
    }

    /// <summary>ᾱ one step before t: ᾱ_{t−1}, and 1 for t = 0 (the clean image).</summary>
    public double AlphaBarBefore(int t) => t == 0 ? 1.0 : AlphaBars[t - 1];

    /// <summary>The variance of q(x_{t−1} | x_t, x_0): β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) (0 at t = 0).</summary>
    public double PosteriorVariance(int t) => Betas[t] * (1 - AlphaBarBefore(t)) / (1 - AlphaBars[t]);

    /// <summary>The signal-to-noise ratio of x_t: ᾱ_t / (1 − ᾱ_t).</summary>
    public double SignalToNoise(int t) => AlphaBars[t] / (1 - AlphaBars[t]);

    /// <summary>
    /// The closed form: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε for a batch x_0 [B, …], steps t [B] (int64) and noise ε like x_0.
    /// </summary>
    public Tensor q_sample(Tensor x0, Tensor t, Tensor noise)
    {
        CheckBatch(x0, t, noise);
        var signal = PerExample(AlphaBars.Select(Math.Sqrt).ToArray(), t, x0);
        var spread = PerExample(AlphaBars.Select(a => Math.Sqrt(1 - a)).ToArray(), t, x0);
        return signal * x0 + spread * noise;
    }

    /// <summary>One step of the chain: x_t = √α_t · x_{t−1} + √β_t · ε, every example at the same step t.</summary>
    public Tensor q_step(Tensor xPrevious, int t, Tensor noise)
    {
        CheckStep(t);
        if (!xPrevious.shape.SequenceEqual(noise.shape)) throw new ArgumentException($"the noise [{string.Join(", ", noise.shape)}] must have the shape of x [{string.Join(", ", xPrevious.shape)}].", nameof(noise));
        return Math.Sqrt(Alphas[t]) * xPrevious + Math.Sqrt(Betas[t]) * noise;
    }

    /// <summary>Checks a step index (0 … T − 1).</summary>
    public void CheckStep(int t)
    {
        if (t < 0 || t >= T) throw new ArgumentOutOfRangeException(nameof(t), t, $"steps run from 0 to {T - 1}.");
    }

    // coefficient[t_i] for each example i, shaped [B, 1, 1, …] to broadcast over x
    private static Tensor PerExample(double[] coefficient, Tensor t, Tensor like)
    {
        var table = tensor(coefficient, dtype: like.dtype, device: like.device);
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = like.size(0);
        return table.index_select(0, t.to(like.device)).view(shape);
    }

    private void CheckBatch(Tensor x0, Tensor t, Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(x0); ArgumentNullException.ThrowIfNull(t); ArgumentNullException.ThrowIfNull(noise);
        if (!x0.shape.SequenceEqual(noise.shape)) throw new ArgumentException($"the noise [{string.Join(", ", noise.shape)}] must have the shape of x_0 [{string.Join(", ", x0.shape)}].", nameof(noise));
        if (t.dim() != 1 || t.size(0) != x0.size(0)) throw new ArgumentException($"t must hold one step per example ([{x0.size(0)}]), not [{string.Join(", ", t.shape)}].", nameof(t));
        if (t.dtype != int64) throw new ArgumentException($"t must be int64 step indices, not {t.dtype}.", nameof(t));
        if (t.numel() > 0)
        {
            long lo = t.min().item<long>(), hi = t.max().item<long>();
            if (lo < 0 || hi >= T) throw new ArgumentOutOfRangeException(nameof(t), $"steps run from 0 to {T - 1}; got {lo} … {hi}.");
        }
    }

    public override string ToString() => $"NoiseSchedule({Name}, T = {T}, β {Betas[0]:G3} … {Betas[^1]:G3}, ᾱ_T−1 = {AlphaBars[^1]:G3})";
}
