using Course;

namespace Course.Tests;

public sealed class SplitMix64Tests
{
    [Fact]
    public void TheFirstOutputsAreTheReferenceImplementations()
    {
        // splitmix64.c (Vigna) seeded with 1234567, and with 0
        var random = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, expected.Select(_ => random.NextUInt64()));
        Assert.Equal(0xE220A8397B1DCDAFUL, new SplitMix64(0).NextUInt64());
    }

    [Fact]
    public void BoundedDrawsStayInRangeAndReachEveryValue()
    {
        var random = new SplitMix64(7);
        var draws = Enumerable.Range(0, 2000).Select(_ => random.NextInt64(-3, 4)).ToList();
        Assert.Equal(Enumerable.Range(-3, 7).Select(i => (long)i), draws.Distinct().Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt64(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt64(5, 5));
    }

    [Fact]
    public void ASeedGivesTheSamePermutationOnEveryRuntime()
    {
        // Fisher–Yates over SplitMix64 with rejection sampling, recomputed independently in Python:
        // o = list(range(10)); for i in 9..1: j = below(i + 1); swap o[i], o[j]
        Assert.Equal(new long[] { 0, 9, 5, 8, 6, 4, 7, 2, 1, 3 }, Shuffle.Permutation(10, 42));
        Assert.Equal(new long[] { 4, 2, 5, 6, 1, 3, 9, 8, 7, 0 }, Shuffle.Permutation(10, 43));
    }
}
