using Course.DataCleaning;

namespace Course.Tests;

public sealed class MinHashTests
{
    // Two sets of 100 elements sharing `shared`: J = shared / (200 − shared).
    private static (HashSet<ulong> A, HashSet<ulong> B, double J) Pair(int shared, ulong offset)
    {
        var a = Enumerable.Range(0, 100).Select(i => offset + (ulong)i).ToHashSet();
        var b = Enumerable.Range(100 - shared, 100).Select(i => offset + (ulong)i).ToHashSet();
        return (a, b, shared / (200.0 - shared));
    }

    [Fact]
    public void IdenticalSetsAgreeEverywhereAndEmptySetsAreAnError()
    {
        var mh = new MinHash(64, seed: 3);
        var set = new ulong[] { 5, 9, 12 };
        Assert.Equal(1.0, MinHash.Estimate(mh.Signature(set), mh.Signature(set.Reverse())));
        Assert.Throws<ArgumentException>(() => mh.Signature(Array.Empty<ulong>()));
        Assert.Throws<ArgumentException>(() => MinHash.Estimate(new ulong[2], new ulong[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinHash(0));
    }

    [Fact]
    public void TheEstimateIsWithinItsStandardErrorOfTheExactJaccard()
    {
        // 128 hashes: each estimate within 4 standard errors (a broken hash family, e.g. one reused function, fails
        // this), and over 100 seeds the mean within 4 standard errors of the mean and the spread close to √(J(1−J)/n)
        foreach (var shared in new[] { 20, 50, 80 })
        {
            var (a, b, j) = Pair(shared, 1000);
            double se = MinHash.StandardError(j, 128);
            var estimates = Enumerable.Range(0, 100).Select(seed =>
            {
                var mh = new MinHash(128, seed);
                return MinHash.Estimate(mh.Signature(a), mh.Signature(b));
            }).ToArray();
            Assert.All(estimates, e => Assert.InRange(e, j - 4 * se, j + 4 * se));
            double mean = estimates.Average();
            Assert.InRange(mean, j - 4 * se / 10, j + 4 * se / 10);
            double sd = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / 99);
            Assert.InRange(sd, 0.7 * se, 1.3 * se);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameSignature()
    {
        var set = Enumerable.Range(0, 50).Select(i => (ulong)i * 7919).ToArray();
        Assert.Equal(new MinHash(32, 5).Signature(set), new MinHash(32, 5).Signature(set));
        Assert.NotEqual(new MinHash(32, 5).Signature(set), new MinHash(32, 6).Signature(set));
    }
}

public sealed class LshIndexTests
{
    [Fact]
    public void CandidateProbabilityByHand()
    {
        Assert.Equal(1 - 0.75 * 0.75, LshIndex.CandidateProbability(0.5, rows: 2, bands: 2), 15);
        Assert.Equal(0.0, LshIndex.CandidateProbability(0, 4, 32));
        Assert.Equal(1.0, LshIndex.CandidateProbability(1, 4, 32));
        Assert.Equal(1 - Math.Pow(1 - 0.1296, 32), LshIndex.CandidateProbability(0.6, 4, 32), 14);   // 0.6^4 = 0.1296: 0.98822
        Assert.Throws<ArgumentOutOfRangeException>(() => LshIndex.CandidateProbability(1.5, 4, 32));
    }

    [Fact]
    public void CandidatesAppearAtTheRateTheFormulaGives()
    {
        // 400 independent signature draws per similarity; the observed candidate rate within 4 binomial standard errors
        const int Bands = 8, Rows = 4, Draws = 400;
        foreach (var shared in new[] { 40, 67, 100 })
        {
            double j = shared / (200.0 - shared);   // 0.25, 0.50, 1/3... 100 of 100 shared: J = 1 only if shared = 100
            var a = Enumerable.Range(0, 100).Select(i => (ulong)i).ToArray();
            var b = Enumerable.Range(100 - shared, 100).Select(i => (ulong)i).ToArray();
            int hits = 0;
            for (int seed = 0; seed < Draws; seed++)
            {
                var mh = new MinHash(Bands * Rows, seed);
                if (LshIndex.Candidates(new[] { mh.Signature(a), mh.Signature(b) }, Bands, Rows).Count == 1) hits++;
            }
            double p = LshIndex.CandidateProbability(j, Rows, Bands);
            double se = Math.Sqrt(Math.Max(p * (1 - p), 1e-12) / Draws);
            Assert.InRange((double)hits / Draws, p - 4 * se - 1e-9, p + 4 * se + 1e-9);
        }
    }

    [Fact]
    public void CandidatesAreThePairsThatShareABand()
    {
        var s0 = new ulong[] { 1, 2, 3, 4 };
        var s1 = new ulong[] { 1, 2, 9, 9 };   // shares band 0 with s0
        var s2 = new ulong[] { 7, 7, 3, 4 };   // shares band 1 with s0
        var s3 = new ulong[] { 5, 6, 7, 8 };   // shares nothing
        Assert.Equal(new[] { (0, 1), (0, 2) }, LshIndex.Candidates(new[] { s0, s1, s2, s3 }, bands: 2, rows: 2));
        Assert.Throws<ArgumentException>(() => LshIndex.Candidates(new[] { s0, new ulong[3] }, 2, 2));
    }
}

public sealed class NearDuplicatesTests
{
    [Fact]
    public void PlantedCopiesAreFoundAndChainsBecomeOneCluster()
    {
        var texts = new[]
        {
            "The nice thing about standards is that there are so many of them to choose from.",
            "A completely different sentence about cats sitting on warm mats all afternoon.",
            "THE NICE THING ABOUT STANDARDS IS THAT THERE ARE SO MANY OF THEM TO CHOOSE FROM.",
            "The nice thing about standards is that there are so many of them to choose from. -- Andrew Tanenbaum",
            "Yet another unrelated line, this one concerning compilers and their many warnings.",
        };
        var found = NearDuplicates.Find(texts, threshold: 0.6, seed: 1);
        Assert.Equal(new[] { 0, 1, 0, 0, 4 }, found.Groups.ClusterOf);
        Assert.Equal(new[] { 2, 3 }, found.Groups.Removed);
        Assert.All(found.Pairs, p => Assert.True(p.Jaccard >= 0.6));
        Assert.Contains(found.Pairs, p => (p.I, p.J) == (0, 2) && p.Jaccard == 1.0);   // equal after normalisation
        Assert.Throws<ArgumentException>(() => NearDuplicates.Find(new[] { "text", "  " }, 0.5));
    }

    [Fact]
    public void DuplicateClustersAreConnectedComponents()
    {
        var c = new DuplicateClusters(6, new[] { (4, 5), (1, 4), (0, 2) });
        Assert.Equal(new[] { 0, 1, 0, 3, 1, 1 }, c.ClusterOf);
        Assert.Equal(new[] { new[] { 0, 2 }, new[] { 1, 4, 5 } }, c.Clusters.Select(x => x.ToArray()));
        Assert.Equal(new[] { 2, 4, 5 }, c.Removed);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DuplicateClusters(2, new[] { (0, 2) }));
    }

    [FortunesPilFact]
    public void TheJaccardOfThePairsFoundInTheFortunesMatchesPython()
    {
        var texts = FortunesCorpus.Load().Entries;
        var found = NearDuplicates.Find(texts, threshold: 0.5, seed: 0);
        Assert.True(found.Pairs.Count > 100, $"only {found.Pairs.Count} pairs found at J >= 0.5");
        var used = found.Candidates.SelectMany(p => new[] { p.I, p.J }).Distinct().Order().ToList();
        var position = used.Select((t, k) => (t, k)).ToDictionary(p => p.t, p => p.k);
        var python = DataCleaningOracle.Run<double[]>("jaccard", new
        {
            texts = used.Select(i => texts[i]).ToArray(),
            pairs = found.Candidates.Select(p => new[] { position[p.I], position[p.J] }).ToArray(),
            k = 5,
        });
        Assert.Equal(found.Candidates.Count, python.Length);
        for (int i = 0; i < python.Length; i++) Assert.Equal(python[i], found.Candidates[i].Jaccard, 12);
    }
}

/// <summary>A test that needs the fortunes (Debian packages fortunes, fortunes-min) and Debian's python3 with PIL and numpy.</summary>
public sealed class FortunesPilFactAttribute : FactAttribute
{
    public FortunesPilFactAttribute()
    {
        if (!Directory.Exists(FortunesCorpus.StandardFolder)) Skip = $"{FortunesCorpus.StandardFolder} is missing (Debian packages {FortunesCorpus.Packages})";
        else if (PngReference.PilMissing is { } why) Skip = why;
    }
}
