using Course;

namespace Course.Tests;

public sealed class PowerLawTests
{
    [Fact]
    public void AnExactPowerLawIsRecovered()
    {
        var x = new[] { 1e3, 3e3, 1e4, 3e4, 1e5 };
        var law = PowerLaw.Fit(x, x.Select(v => 3.0 * Math.Pow(v, -0.5)).ToArray());
        Assert.Equal(3.0, law.Coefficient, 12);
        Assert.Equal(0.5, law.Exponents[0], 12);
        Assert.Equal(3.0 * Math.Pow(1e6, -0.5), law.Predict(1e6), 14);
        // two variables: L = 20 · N^-0.3 · D^-0.1
        var points = (from n in new[] { 1e3, 1e4, 1e5 } from d in new[] { 1e5, 1e6 } select new[] { n, d }).ToArray();
        var law2 = PowerLaw.Fit(points, points.Select(p => 20 * Math.Pow(p[0], -0.3) * Math.Pow(p[1], -0.1)).ToArray());
        Assert.Equal(20, law2.Coefficient, 10);
        Assert.Equal(new[] { 0.3, 0.1 }, law2.Exponents.Select(e => Math.Round(e, 12)));
    }

    [SklearnFact]
    public void NoisyFitsEqualNumpysLeastSquaresOnLogs()
    {
        var random = new SplitMix64(5);
        double Noise() => 1 + 0.05 * ((random.NextUInt64() >> 11) * (1.0 / (1UL << 53)) - 0.5);
        var x1 = new[] { 2.0, 5, 11, 40, 90, 300 };
        var y1 = x1.Select(v => 7 * Math.Pow(v, -0.7) * Noise()).ToArray();
        var x2 = (from n in new[] { 1e3, 4e3, 1.6e4 } from d in new[] { 2e4, 8e4, 3.2e5 } select new[] { n * Noise(), d * Noise() }).ToArray();
        var y2 = x2.Select(p => 9 * Math.Pow(p[0], -0.2) * Math.Pow(p[1], -0.15) * Noise()).ToArray();
        var answers = EvaluationReference.Ask(new { powerlaw = new object[] { new { x = x1.Select(v => new[] { v }), y = y1 }, new { x = x2, y = y2 } } })["powerlaw"]!.AsArray();
        var fit1 = PowerLaw.Fit(x1, y1);
        var numpy1 = answers[0]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(numpy1[0], Math.Log(fit1.Coefficient), 10);
        Assert.Equal(-numpy1[1], fit1.Exponents[0], 10);
        var fit2 = PowerLaw.Fit(x2, y2);
        var numpy2 = answers[1]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(numpy2[0], Math.Log(fit2.Coefficient), 10);
        Assert.Equal(-numpy2[1], fit2.Exponents[0], 10);
        Assert.Equal(-numpy2[2], fit2.Exponents[1], 10);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerLaw.Fit(new[] { 1.0, 0 }, new[] { 1.0, 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerLaw.Fit(new[] { 1.0, 2 }, new[] { 1.0, -2 }));
        Assert.Throws<ArgumentException>(() => PowerLaw.Fit(new[] { 1.0 }, new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => PowerLaw.Fit(new[] { 2.0, 2, 2 }, new[] { 1.0, 2, 3 }));   // x never varies
        Assert.Throws<ArgumentException>(() => PowerLaw.Fit(new[] { new[] { 1.0, 2 }, new[] { 2.0, 4 }, new[] { 4.0, 8 } }, new[] { 1.0, 2, 3 }));  // D ∝ N
        Assert.Throws<ArgumentException>(() => new PowerLaw(1, [0.5]).Predict(1, 2));
    }
}
