namespace Course;

/// <summary>
/// The bootstrap: draw n examples from n with replacement to train on; the examples never drawn (out of bag) are the
/// test split. One example is missed by all n draws with probability (1 − 1/n)^n, which tends to 1/e ≈ 0.368 as n
/// grows, so about 36.8% of the data is tested each time while the training set keeps its size n (with repeats, which
/// changes the training distribution).
/// </summary>
public static class Bootstrap
{
    /// <summary>A bootstrap sample of n examples: Train holds n draws with replacement (in draw order), Test the indexes never drawn, ascending.</summary>
    public static TrainTestSplit Sample(int n, SplitMix64 random)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "a bootstrap sample needs at least 1 example.");
        ArgumentNullException.ThrowIfNull(random);
        var draws = new long[n];
        var drawn = new bool[n];
        for (int i = 0; i < n; i++)
        {
            draws[i] = random.NextInt64(n);
            drawn[draws[i]] = true;
        }
        var outOfBag = Enumerable.Range(0, n).Where(i => !drawn[i]).Select(i => (long)i).ToArray();
        return new TrainTestSplit(draws, outOfBag);
    }

    /// <summary>A bootstrap sample drawn with a seed.</summary>
    public static TrainTestSplit Sample(int n, int seed) => Sample(n, new SplitMix64(seed));

    /// <summary>The probability that a given example is out of bag, (1 − 1/n)^n.</summary>
    public static double ExpectedOutOfBagFraction(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        return Math.Pow(1 - 1.0 / n, n);
    }
}
