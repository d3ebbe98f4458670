using Course;

namespace Course.Tests;

/// <summary>FewShot.Sample: k per class, seeded, nested over k, uniform over a class's members, clear errors.</summary>
public sealed class FewShotTests
{
    // 3 classes of 7, 5 and 9 examples, interleaved
    private static readonly long[] Labels =
        Enumerable.Range(0, 7).Select(_ => 0L).Concat(Enumerable.Range(0, 5).Select(_ => 1L)).Concat(Enumerable.Range(0, 9).Select(_ => 2L))
            .Select((l, i) => (l, key: (i * 7919) % 21)).OrderBy(p => p.key).Select(p => p.l).ToArray();

    [Fact]
    public void DrawsExactlyKDistinctExamplesOfEveryClassClassByClass()
    {
        foreach (var k in new[] { 1, 2, 5 })
        {
            var index = FewShot.Sample(Labels, k, seed: 3);
            Assert.Equal(3 * k, index.Length);
            Assert.Equal(index.Length, index.Distinct().Count());
            Assert.All(index, i => Assert.InRange(i, 0, Labels.Length - 1));
            // the k of class 0, then class 1, then class 2
            Assert.Equal(Enumerable.Range(0, 3).SelectMany(c => Enumerable.Repeat((long)c, k)), index.Select(i => Labels[i]));
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameSubsetAndOtherSeedsOtherOnes()
    {
        Assert.Equal(FewShot.Sample(Labels, 2, seed: 11), FewShot.Sample(Labels, 2, seed: 11));
        var subsets = Enumerable.Range(0, 5).Select(seed => string.Join(",", FewShot.Sample(Labels, 2, seed).Order())).ToArray();
        Assert.Equal(5, subsets.Distinct().Count());
        // the tensor overload reads the same labels
        using var labels = tensor(Labels);
        Assert.Equal(FewShot.Sample(Labels, 3, seed: 4), FewShot.Sample(labels, 3, seed: 4));
    }

    [Fact]
    public void TheKShotSubsetIsContainedInTheLargerOnesOfItsSeed()
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var one = FewShot.Sample(Labels, 1, seed);
            var two = FewShot.Sample(Labels, 2, seed);
            var five = FewShot.Sample(Labels, 5, seed);
            Assert.Subset(two.ToHashSet(), one.ToHashSet());
            Assert.Subset(five.ToHashSet(), two.ToHashSet());
        }
    }

    [Fact]
    public void EveryMemberOfAClassIsEquallyLikely()
    {
        // class 1 has 5 members: over 5,000 seeds with k = 1 each is picked ~1,000 times (binomial sd ≈ 28)
        var members = Enumerable.Range(0, Labels.Length).Where(i => Labels[i] == 1).ToArray();
        var counts = members.ToDictionary(i => (long)i, _ => 0);
        for (int seed = 0; seed < 5000; seed++) counts[FewShot.Sample(Labels, 1, seed)[1]]++;
        Assert.All(counts.Values, n => Assert.InRange(n, 880, 1120));
    }

    [Fact]
    public void AClassWithFewerThanKExamplesIsAnErrorNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => FewShot.Sample(Labels, 6, seed: 0));
        Assert.Contains("class 1 has 5 examples, fewer than k = 6", e.Message);
        // a class with no example at all, found through numClasses
        var missing = Assert.Throws<ArgumentException>(() => FewShot.Sample(Labels, 1, seed: 0, numClasses: 4));
        Assert.Contains("class 3 has 0 examples", missing.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => FewShot.Sample(Labels, 0, seed: 0));
        Assert.Throws<ArgumentException>(() => FewShot.Sample(Labels, 1, seed: 0, numClasses: 2));   // label 2 ≥ 2 classes
        Assert.Throws<ArgumentException>(() => FewShot.Sample(new long[] { 0, -1 }, 1, seed: 0));
    }
}
