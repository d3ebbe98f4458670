using Course.Diffusion;
using Course.Models;

namespace Models.Tests;

/// <summary>
/// DDPM pieces: the schedules against hand computations, the closed-form noising against iterating the chain (exactly,
/// for given noise, and in distribution), the samplers against each other (DDIM with η = 1 and every step is ancestral
/// sampling with the posterior variance, and its noise-free path is ancestral sampling's mean path) and against the
/// exact noise predictor of Gaussian data, classifier-free guidance at scales 0 and 1, and the U-Net's pieces
/// (GroupNorm by hand, the step embedding, float64 gradients).
/// </summary>
public class DiffusionTests
{
    [Fact]
    public void LinearScheduleMatchesTheDdpmPaper()
    {
        var s = NoiseSchedule.Linear(1000, 1e-4, 0.02);
        Assert.Equal(1000, s.T);
        Assert.Equal(1e-4, s.Betas[0], 15);
        Assert.Equal(0.02, s.Betas[^1], 15);
        Assert.Equal(1e-4 + (0.02 - 1e-4) * 500 / 999, s.Betas[500], 15);
        // numpy: np.cumprod(1 - np.linspace(1e-4, 0.02, 1000)) at 0, 499, 999
        Assert.Equal(0.9999, s.AlphaBars[0], 15);
        Assert.Equal(0.07858724288177824, s.AlphaBars[499], 13);
        Assert.True(Math.Abs(s.AlphaBars[999] / 4.035829765375676e-05 - 1) < 1e-12, $"ᾱ_999 = {s.AlphaBars[999]}");
        Assert.Equal(1.0, s.AlphaBarBefore(0));
        Assert.Equal(s.AlphaBars[9], s.AlphaBarBefore(10));
    }

    [Fact]
    public void CosineScheduleTelescopesToTheRatioOfItsCosines()
    {
        const int T = 1000;
        const double offset = 0.008;
        var s = NoiseSchedule.Cosine(T, offset);
        double F(double t) => Math.Pow(Math.Cos((t / T + offset) / (1 + offset) * Math.PI / 2), 2);
        // away from the clipped end, ᾱ_t = Π f(k+1)/f(k) = f(t+1)/f(0)
        foreach (int t in new[] { 0, 99, 499, 899 }) Assert.Equal(F(t + 1) / F(0), s.AlphaBars[t], 12);
        Assert.Equal(0.999, s.Betas[^1]);                                  // the last β is clipped
        Assert.True(s.Betas.All(b => b <= 0.999));
        // the cosine schedule keeps more signal in the middle than the linear one
        Assert.True(s.AlphaBars[499] > NoiseSchedule.Linear(T).AlphaBars[499] * 5);
    }

    [Fact]
    public void ClosedFormEqualsIteratingTheChainForTheSameNoise()
    {
        using var scope = NewDisposeScope();
        var s = NoiseSchedule.Linear(200, 1e-3, 0.05);
        manual_seed(0);
        var x0 = randn(new long[] { 3, 1, 4, 4 }, float64);
        foreach (int t in new[] { 0, 1, 57, 199 })
        {
            // x_t by t + 1 steps of the chain, each with its own ε_k; x_t = √ᾱ_t x_0 + Σ_k c_k ε_k with c_k = √β_k Π_{r>k} √α_r
            var x = x0;
            var noises = new List<Tensor>();
            for (int k = 0; k <= t; k++) { var e = randn_like(x0); noises.Add(e); x = s.q_step(x, k, e); }
            var coefficients = Enumerable.Range(0, t + 1).Select(k => Math.Sqrt(s.Betas[k]) * Enumerable.Range(k + 1, t - k).Aggregate(1.0, (p, r) => p * Math.Sqrt(s.Alphas[r]))).ToArray();
            // the combined noise has variance Σ c_k² = 1 − ᾱ_t, so ε̄ = Σ c_k ε_k / √(1 − ᾱ_t) is standard normal
            Assert.Equal(1 - s.AlphaBars[t], coefficients.Sum(c => c * c), 13);
            var combined = noises.Select((e, k) => coefficients[k] * e).Aggregate((a, b) => a + b) / Math.Sqrt(1 - s.AlphaBars[t]);
            var closed = s.q_sample(x0, full(new long[] { 3 }, t, dtype: int64), combined);
            Assert.True((closed - x).abs().max().item<double>() < 1e-13, $"closed form and chain differ at t = {t}");
        }
    }

    [Fact]
    public void ClosedFormHasTheChainsMeanAndVariance()
    {
        using var scope = NewDisposeScope();
        var s = NoiseSchedule.Cosine(100);
        manual_seed(1);
        const int n = 200_000;
        var x0 = full(new long[] { n }, 0.8, dtype: float64);
        var x = x0;
        int[] checkpoints = [9, 49, 99];
        for (int k = 0; k < s.T; k++)
        {
            x = s.q_step(x, k, randn_like(x));
            if (!checkpoints.Contains(k)) continue;
            double mean = x.mean().item<double>(), variance = x.var().item<double>();
            double expectedMean = Math.Sqrt(s.AlphaBars[k]) * 0.8, expectedVariance = 1 - s.AlphaBars[k];
            // 5 standard errors: of the mean √(v/n), of the variance v·√(2/(n−1))
            Assert.True(Math.Abs(mean - expectedMean) < 5 * Math.Sqrt(expectedVariance / n), $"t = {k}: mean {mean} against {expectedMean}");
            Assert.True(Math.Abs(variance - expectedVariance) < 5 * expectedVariance * Math.Sqrt(2.0 / (n - 1)), $"t = {k}: variance {variance} against {expectedVariance}");
        }
    }

    // The exact noise predictor for data x_0 ~ N(μ, v) per coordinate: x_t ~ N(√ᾱ μ, ᾱ v + 1 − ᾱ) and
    // E[ε | x_t] = √(1 − ᾱ) (x_t − √ᾱ μ) / (ᾱ v + 1 − ᾱ).
    private static NoisePredictor GaussianOracle(NoiseSchedule s, double mu, double v) => (xt, t) =>
    {
        int step = (int)t[0].item<long>();
        double ab = s.AlphaBars[step];
        return Math.Sqrt(1 - ab) * (xt - Math.Sqrt(ab) * mu) / (ab * v + 1 - ab);
    };

    // the noise draws of one run, replayed for another
    private sealed class RecordedNoise(int seed)
    {
        private readonly List<Tensor> draws = [];
        private int next;
        public Tensor Draw(Tensor like)
        {
            if (next == draws.Count) { manual_seed(seed + next); draws.Add(randn_like(like).DetachFromDisposeScope()); }   // the sampler's step scope must not free it
            return draws[next++];
        }
        public void Rewind() => next = 0;
        public int Count => draws.Count;
    }

    [Fact]
    public void DdimWithEveryStepAndEtaOneIsAncestralSamplingWithThePosteriorVariance()
    {
        using var scope = NewDisposeScope();
        var s = NoiseSchedule.Linear(300, 1e-4, 0.04);
        var model = GaussianOracle(s, 0.5, 0.09);
        manual_seed(2);
        var xT = randn(new long[] { 4, 1, 2, 2 }, float64);
        // each step: DDIM's deterministic part with η = 1 is the ancestral mean μ_θ, and its σ² is β̃_t
        foreach (int t in new[] { 299, 150, 1, 0 })
        {
            var eps = model(xT, Ddpm.Steps(4, t, xT.device));
            var ddim = DdimSampler.step(s, xT, t, t - 1, eps, eta: 1, z: zeros_like(xT));
            Assert.True((ddim - AncestralSampler.mean(s, xT, t, eps)).abs().max().item<double>() < 1e-12, $"step t = {t}");
            var withNoise = DdimSampler.step(s, xT, t, t - 1, eps, eta: 1, z: ones_like(xT));
            Assert.Equal(Math.Sqrt(AncestralSampler.Variance(s, t, ReverseVariance.Posterior)), (withNoise - ddim).mean().item<double>(), 12);
        }
        // whole runs: the noise-free paths agree, and so do runs that share their noise draws
        var meanPathDdim = DdimSampler.sample(model, s, xT, steps: s.T, eta: 1, noise: x => zeros_like(x));
        var meanPathAncestral = AncestralSampler.sample(model, s, xT, ReverseVariance.Posterior, noise: x => zeros_like(x));
        Assert.True((meanPathDdim - meanPathAncestral).abs().max().item<double>() < 1e-10, "the mean paths differ");
        var noise = new RecordedNoise(10);
        var ancestral = AncestralSampler.sample(model, s, xT, ReverseVariance.Posterior, noise: noise.Draw);
        Assert.Equal(s.T - 1, noise.Count);
        noise.Rewind();
        var ddimRun = DdimSampler.sample(model, s, xT, steps: s.T, eta: 1, noise: noise.Draw);
        Assert.True((ddimRun - ancestral).abs().max().item<double>() < 1e-10, "DDIM(η = 1, every step) and ancestral sampling differ");
        Assert.True((ancestral - meanPathAncestral).abs().max().item<double>() > 1e-2, "the noise did not reach the samples");
    }

    [Fact]
    public void DdimMatchesAnIndependentNumpyImplementation()
    {
        using var scope = NewDisposeScope();
        var s = NoiseSchedule.Linear(1000);
        var model = GaussianOracle(s, 0.5, 0.09);
        var xT = linspace(-3, 3, 7, dtype: float64);
        // reference/ddim_gaussian.py: DDIM (η = 0) written from the paper in numpy, same schedule, same oracle
        double[] ten = [-0.04263619175898, 0.13805122644425363, 0.31873864464748736, 0.4994260628507211, 0.6801134810539549, 0.860800899257189, 1.0414883174604228];
        double[] fifty = [-0.3243729726863557, -0.04987262358803705, 0.2246277255102826, 0.4991280746086019, 0.7736284237069213, 1.0481287728052409, 1.3226291219035602];
        var got10 = DdimSampler.sample(model, s, xT, steps: 10).ToArray<double>();
        var got50 = DdimSampler.sample(model, s, xT, steps: 50).ToArray<double>();
        for (int i = 0; i < 7; i++) { Assert.Equal(ten[i], got10[i], 11); Assert.Equal(fifty[i], got50[i], 11); }
    }

    [Fact]
    public void SamplersWithTheExactNoisePredictorReproduceGaussianData()
    {
        using var scope = NewDisposeScope();
        const double mu = 0.5, sd = 0.3;
        var s = NoiseSchedule.Linear(1000);
        var model = GaussianOracle(s, mu, sd * sd);
        manual_seed(3);
        var xT = randn(new long[] { 20_000 }, float64);
        // with every step both samplers reach N(μ, σ²): standard errors 0.002 (mean) and 0.0015 (sd), plus the
        // discretisation of 1,000 steps (numpy, 200,000 draws: DDIM η = 0 gives sd 0.2989, ancestral with β̃ 0.2959)
        foreach (var (name, sample) in new (string, Tensor)[]
        {
            ("ancestral (β)", AncestralSampler.sample(model, s, xT)),
            ("DDIM, 1,000 steps, η = 0", DdimSampler.sample(model, s, xT, steps: 1000)),
        })
        {
            Assert.True(Math.Abs(sample.mean().item<double>() - mu) < 0.01, $"{name}: mean {sample.mean().item<double>()}");
            Assert.True(Math.Abs(sample.std().item<double>() - sd) < 0.01, $"{name}: sd {sample.std().item<double>()}");
        }
        // fewer DDIM steps under-disperse (each step's x̂_0 is a conditional mean); the gap closes as steps grow
        var sds = new[] { 20, 50, 200 }.Select(k => DdimSampler.sample(model, s, xT, steps: k).std().item<double>()).ToArray();
        Assert.True(sds[0] < sds[1] && sds[1] < sds[2] && sds[2] < sd, $"DDIM sd by steps 20/50/200: {string.Join(", ", sds)}");
        // DDIM with η = 0 is deterministic and monotone: the order of the noise is the order of the samples
        var ddim = DdimSampler.sample(model, s, xT[..5], steps: 50);
        Assert.Equal(xT[..5].argsort(0).ToArray<long>(), ddim.argsort(0).ToArray<long>());
    }

    [Fact]
    public void ClippingKeepsTheCleanImageEstimateInRangeAndChangesNothingInside()
    {
        using var scope = NewDisposeScope();
        var s = NoiseSchedule.Cosine(1000);
        manual_seed(8);
        var x0 = rand(new long[] { 4, 1, 3, 3 }, float64) * 1.6 - 0.8;               // inside [-1, 1]
        var eps = randn_like(x0);
        var xt = s.q_sample(x0, full(new long[] { 4 }, 600L, dtype: int64), eps);
        var (inside, sameEps) = Ddpm.clip_x0(s, xt, 600, eps, 1.0);
        Assert.True((inside - x0).abs().max().item<double>() < 1e-12 && (sameEps - eps).abs().max().item<double>() < 1e-12);
        // a noise estimate that is off by 0.01 at the noisiest step implies x̂_0 far outside the data: clipped to ±1,
        // and the ε̂ that goes with the clipped x̂_0 reproduces it
        var xT = randn(new long[] { 4, 1, 3, 3 }, float64);
        var wrong = xT * Math.Sqrt(1 - s.AlphaBars[999]) + 0.01;
        Assert.True(Ddpm.predict_x0(s, xT, 999, wrong).abs().min().item<double>() > 10);
        var (clipped, consistent) = Ddpm.clip_x0(s, xT, 999, wrong, 1.0);
        Assert.True(clipped.abs().max().item<double>() <= 1.0);
        Assert.True((Ddpm.predict_x0(s, xT, 999, consistent) - clipped).abs().max().item<double>() < 1e-6);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ddpm.clip_x0(s, xT, 999, wrong, 0));
    }

    [Fact]
    public void DdimTimestepsAreEvenlySpacedAndEndAtZero()
    {
        Assert.Equal([999, 666, 333, 0], DdimSampler.Timesteps(1000, 4));
        Assert.Equal(Enumerable.Range(0, 10).Reverse().ToArray(), DdimSampler.Timesteps(10, 10));
        Assert.Equal([9], DdimSampler.Timesteps(10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DdimSampler.Timesteps(10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => DdimSampler.Timesteps(10, 0));
    }

    [Fact]
    public void SimpleLossIsTheMeanSquaredErrorOfTheNoise()
    {
        using var scope = NewDisposeScope();
        var s = NoiseSchedule.Linear(50);
        manual_seed(4);
        var x0 = randn(new long[] { 6, 1, 2, 2 }, float64);
        var t = tensor(new long[] { 0, 3, 10, 20, 30, 49 });
        var noise = randn_like(x0);
        // a model that knows the noise exactly: recover it from x_t and x_0
        Tensor PerStep(Func<double, double> f, Tensor steps) => tensor(s.AlphaBars.Select(f).ToArray(), dtype: float64).index_select(0, steps).view(-1, 1, 1, 1);
        NoisePredictor perfect = (xt, steps) => (xt - PerStep(Math.Sqrt, steps) * x0) / PerStep(a => Math.Sqrt(1 - a), steps);
        Assert.True(Ddpm.loss(perfect, s, x0, t, noise).item<double>() < 1e-24);
        Assert.Equal(noise.square().mean().item<double>(), Ddpm.loss((xt, _) => zeros_like(xt), s, x0, t, noise).item<double>(), 14);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.q_sample(x0, tensor(new long[] { 0, 0, 0, 0, 0, 50 }), noise));
        Assert.Throws<ArgumentException>(() => s.q_sample(x0, tensor(new long[] { 0, 1 }), noise));
        Assert.Throws<ArgumentException>(() => s.q_sample(x0, t, noise[..2]));
        // x̂_0 inverts the closed form
        var xt = s.q_sample(x0, full(new long[] { 6 }, 7L, dtype: int64), noise);
        Assert.True((Ddpm.predict_x0(s, xt, 7, noise) - x0).abs().max().item<double>() < 1e-12);
    }

    private static (UNet Net, Tensor X, Tensor T, Tensor C) SmallUNet(int seed, ScalarType dtype)
    {
        manual_seed(seed);
        var net = new UNet(in_channels: 1, channels: 8, condition_dim: 5, groups: 4);
        net.to(dtype);
        using (no_grad()) net.null_condition!.copy_(randn(5, dtype: dtype));
        return (net, randn(new long[] { 3, 1, 8, 8 }, dtype), tensor(new long[] { 0, 17, 999 }), randn(new long[] { 3, 5 }, dtype));
    }

    [Fact]
    public void GuidanceAtScaleZeroIsTheUnconditionalModelAndAtOneTheConditional()
    {
        using var scope = NewDisposeScope();
        var (net, x, t, c) = SmallUNet(5, float64);
        ConditionalNoisePredictor model = (xt, steps, condition) => net.forward(xt, steps, condition);
        var unconditional = net.forward(x, t, null);
        var conditional = net.forward(x, t, c);
        Assert.True((conditional - unconditional).abs().max().item<double>() > 1e-3, "the condition has no effect");
        Assert.True((ClassifierFreeGuidance.Guide(model, c, 0)(x, t) - unconditional).abs().max().item<double>() == 0);
        Assert.True((ClassifierFreeGuidance.Guide(model, c, 1)(x, t) - conditional).abs().max().item<double>() == 0);
        var guided = ClassifierFreeGuidance.Guide(model, c, 3.5)(x, t);
        Assert.True((guided - (unconditional + 3.5 * (conditional - unconditional))).abs().max().item<double>() < 1e-12);
        // dropping every condition in training is the unconditional model; dropping one row changes that row only
        var dropAll = net.forward(x, t, c, ones(new long[] { 3 }, dtype: ScalarType.Bool));
        Assert.True((dropAll - unconditional).abs().max().item<double>() == 0);
        var dropFirst = net.forward(x, t, c, tensor(new[] { true, false, false }));
        Assert.True((dropFirst[..1] - unconditional[..1]).abs().max().item<double>() == 0);
        Assert.True((dropFirst[1..] - conditional[1..]).abs().max().item<double>() < 1e-14);
        Assert.Throws<ArgumentException>(() => ClassifierFreeGuidance.Guide(model, c[..2], 2)(x, t));
        Assert.Throws<ArgumentException>(() => net.forward(x, t, randn(3, 4, dtype: float64)));
        Assert.Throws<ArgumentException>(() => net.forward(randn(new long[] { 3, 1, 7, 8 }, float64), t));
    }

    [Fact]
    public void GroupNormMatchesAHandComputation()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var norm = new GroupNorm(2, 4);
        norm.to(float64);
        using (no_grad()) { norm.weight.copy_(tensor(new[] { 1.0, 2, -1, 0.5 })); norm.bias.copy_(tensor(new[] { 0.0, 1, 2, -3 })); }
        var x = randn(new long[] { 2, 4, 3, 2 }, float64) * 3 + 1;
        var y = norm.forward(x).ToArray<double>();
        var v = x.ToArray<double>();
        double[] gamma = [1, 2, -1, 0.5], beta = [0, 1, 2, -3];
        for (int b = 0; b < 2; b++)
            for (int g = 0; g < 2; g++)
            {
                // group g holds channels 2g, 2g+1: 12 values of example b
                var idx = Enumerable.Range(2 * g, 2).SelectMany(ch => Enumerable.Range(0, 6).Select(p => b * 24 + ch * 6 + p)).ToArray();
                double mean = idx.Average(i => v[i]);
                double variance = idx.Average(i => (v[i] - mean) * (v[i] - mean));
                foreach (int i in idx)
                {
                    int ch = i % 24 / 6;
                    Assert.Equal((v[i] - mean) / Math.Sqrt(variance + 1e-5) * gamma[ch] + beta[ch], y[i], 12);
                }
            }
        Assert.Throws<ArgumentException>(() => new GroupNorm(3, 4));
        Assert.Throws<ArgumentException>(() => norm.forward(randn(2, 3, 4)));
    }

    [Fact]
    public void StepEmbeddingIsSinesThenCosines()
    {
        using var scope = NewDisposeScope();
        var e = SinusoidalEmbedding.Of(tensor(new long[] { 0, 5 }), 6, float64).ToArray<double>();
        // frequencies 10000^(−i/3), i = 0, 1, 2
        double[] w = [1, Math.Pow(10000, -1.0 / 3), Math.Pow(10000, -2.0 / 3)];
        Assert.Equal([0, 0, 0, 1, 1, 1], e[..6]);
        for (int i = 0; i < 3; i++) { Assert.Equal(Math.Sin(5 * w[i]), e[6 + i], 12); Assert.Equal(Math.Cos(5 * w[i]), e[9 + i], 12); }
        Assert.Throws<ArgumentOutOfRangeException>(() => SinusoidalEmbedding.Of(tensor(new long[] { 1 }), 5));
    }

    [Fact]
    public void UpsamplingRepeatsEachPixelInATwoByTwoBlock()
    {
        using var scope = NewDisposeScope();
        var x = arange(6, dtype: float64).view(1, 1, 2, 3);
        var up = UNet.Upsample2x(x);
        Assert.Equal(new long[] { 1, 1, 4, 6 }, up.shape);
        Assert.Equal(new double[] { 0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 3, 3, 4, 4, 5, 5 }, up.ToArray<double>());
    }

    [Fact]
    public void UNetGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (net, x, t, c) = SmallUNet(7, float64);
        net.eval();
        var target = randn_like(x);
        Tensor Loss() => (net.forward(x, t, c, tensor(new[] { false, true, false })) - target).square().mean();
        var checkedParameters = new (string Name, Tensor P)[]
        {
            ("conv_in.weight", net.conv_in.weight), ("time_fc1.weight", net.time_fc1.weight), ("cond_proj.weight", net.cond_proj!.weight),
            ("null_condition", net.null_condition!), ("block1.norm1.weight", net.block1.norm1.weight), ("middle.embed.weight", net.middle.embed.weight),
            ("down.bias", net.down.bias!), ("up.bias", net.up.bias!), ("up_block1.skip.bias", net.up_block1.skip!.bias!), ("conv_out.bias", net.conv_out.bias!),
        };
        var errors = checkedParameters.Select(p => (p.Name, Error: autograd.gradcheck(Loss, p.P))).ToArray();
        Assert.True(errors.All(e => e.Error < 1e-5), "U-Net relative errors: " + string.Join(", ", errors.Select(e => $"{e.Name} {e.Error:E2}")));
    }
}
