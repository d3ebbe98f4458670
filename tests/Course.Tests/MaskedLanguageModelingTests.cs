using Course;

namespace Course.Tests;

/// <summary>
/// BERT's 15% / 80-10-10 masking rule, checked by counting over 200,000 positions against the stated probabilities with
/// tolerances of five binomial standard deviations, and exactly where the rule is deterministic: labels only at
/// selected positions, ineligible positions never touched, inputs unchanged where not selected, the seed reproduces.
/// </summary>
public sealed class MaskedLanguageModelingTests
{
    private const long MaskId = 100, Low = 4, High = 100;   // ordinary tokens 4..99, the mask token 100

    private static Tensor Tokens(int seed, long rows = 400, long columns = 500)
    {
        manual_seed(seed);
        return randint(Low, High, new[] { rows, columns });
    }

    [Fact]
    public void SelectsFifteenPercentAndSplitsThemEightyTenTen()
    {
        using var scope = NewDisposeScope();
        var tokens = Tokens(1);
        manual_seed(2);
        var (inputs, labels) = MaskedLanguageModeling.Mask(tokens, MaskId, Low, High);
        var t = tokens.ToArray<long>(); var x = inputs.ToArray<long>(); var y = labels.ToArray<long>();
        long n = t.Length, selected = 0, masked = 0, replaced = 0, kept = 0;
        for (int i = 0; i < n; i++)
        {
            if (y[i] == MaskedLanguageModeling.IgnoreIndex) { Assert.Equal(t[i], x[i]); continue; }   // not selected: input untouched
            Assert.Equal(t[i], y[i]);                                                               // selected: the label is the original
            selected++;
            if (x[i] == MaskId) masked++;
            else if (x[i] != t[i]) { replaced++; Assert.InRange(x[i], Low, High - 1); }
            else kept++;
        }
        // p̂ = selected / n ~ N(0.15, 0.15·0.85/n): sd 0.0008 at n = 200,000
        Assert.InRange((double)selected / n, 0.15 - 5 * Sd(0.15, n), 0.15 + 5 * Sd(0.15, n));
        // among the selected: mask 0.8; a random draw equals the original with probability 1/96, so it shows as
        // "replaced" with probability 0.1 · 95/96 and "kept" with 0.1 + 0.1/96
        double k = High - Low;
        Check((double)masked / selected, 0.8, selected);
        Check((double)replaced / selected, 0.1 * (k - 1) / k, selected);
        Check((double)kept / selected, 0.1 + 0.1 / k, selected);
    }

    private static bool Same(Tensor a, Tensor b) => a.contiguous().ToArray<long>().SequenceEqual(b.contiguous().ToArray<long>());

    private static double Sd(double p, long n) => Math.Sqrt(p * (1 - p) / n);

    private static void Check(double observed, double p, long n) =>
        Assert.True(Math.Abs(observed - p) <= 5 * Sd(p, n), $"observed {observed:F4}, expected {p:F4} ± {5 * Sd(p, n):F4} (5 sd)");

    [Fact]
    public void RandomReplacementsAreUniformOverTheOrdinaryTokens()
    {
        using var scope = NewDisposeScope();
        var tokens = full(new long[] { 200, 500 }, 7, ScalarType.Int64);   // every token is 7, so a replacement is any id ≠ 7 or a drawn 7
        manual_seed(3);
        var (inputs, _) = MaskedLanguageModeling.Mask(tokens, MaskId, Low, High, probability: 1, maskFraction: 0, randomFraction: 1);
        var counts = new long[High];
        foreach (var id in inputs.ToArray<long>()) { Assert.InRange(id, Low, High - 1); counts[id]++; }
        // 100,000 draws over 96 ids: each count ~ Binomial(100,000, 1/96), mean 1,041.7, sd 32.1; within 5 sd
        double mean = 100_000.0 / 96, sd = Math.Sqrt(100_000.0 * (1 / 96.0) * (95 / 96.0));
        for (long id = Low; id < High; id++) Assert.InRange(counts[id], mean - 5 * sd, mean + 5 * sd);
    }

    [Fact]
    public void OnlyEligiblePositionsAreSelectedAndLabelled()
    {
        using var scope = NewDisposeScope();
        var tokens = Tokens(4, 50, 40);
        var eligible = arange(40).lt(25).unsqueeze(0).expand(50, 40).contiguous();    // the last 15 columns are "padding"
        manual_seed(5);
        var (inputs, labels) = MaskedLanguageModeling.Mask(tokens, MaskId, Low, High, eligible, probability: 1);
        Assert.True(Same(inputs[.., 25..], tokens[.., 25..]), "an ineligible position was changed");
        Assert.True(labels[.., 25..].eq(MaskedLanguageModeling.IgnoreIndex).all().item<bool>(), "an ineligible position has a label");
        Assert.True(Same(labels[.., ..25], tokens[.., ..25]), "with probability 1 every eligible position is labelled with its token");
    }

    [Fact]
    public void TheSeedReproducesTheMasks()
    {
        using var scope = NewDisposeScope();
        var tokens = Tokens(6, 20, 30);
        manual_seed(7);
        var a = MaskedLanguageModeling.Mask(tokens, MaskId, Low, High);
        manual_seed(7);
        var b = MaskedLanguageModeling.Mask(tokens, MaskId, Low, High);
        Assert.True(Same(a.Inputs, b.Inputs) && Same(a.Labels, b.Labels));
        var c = MaskedLanguageModeling.Mask(tokens, MaskId, Low, High);
        Assert.False(Same(a.Labels, c.Labels), "a second draw gave the same selection");
    }

    [Fact]
    public void BadArgumentsNameTheCause()
    {
        using var scope = NewDisposeScope();
        var tokens = Tokens(8, 2, 3);
        Assert.Throws<ArgumentException>(() => MaskedLanguageModeling.Mask(tokens.to(ScalarType.Float32), MaskId, Low, High));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskedLanguageModeling.Mask(tokens, MaskId, Low, High, probability: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskedLanguageModeling.Mask(tokens, MaskId, Low, High, maskFraction: 0.8, randomFraction: 0.3));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskedLanguageModeling.Mask(tokens, MaskId, 5, 5));
        Assert.Throws<ArgumentException>(() => MaskedLanguageModeling.Mask(tokens, MaskId, Low, High, eligible: ones(2, 4).to(ScalarType.Bool)));
    }
}
