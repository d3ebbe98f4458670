namespace Course;

/// <summary>
/// The seeded generator behind every split and shuffle in the course library: SplitMix64 (Steele,
/// Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; Vigna's reference
/// splitmix64.c). The course owns it so that a seed gives the same split and the same batch order on
/// every .NET version; System.Random makes no such promise. Not for cryptography.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed) => _state = unchecked((ulong)seed);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public long NextInt64(long maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "the bound must be positive.");
        ulong bound = (ulong)maxExclusive;
        // draws below 2^64 mod bound are rejected, so every remainder is equally likely
        ulong threshold = unchecked(0UL - bound) % bound;
        ulong r;
        do r = NextUInt64(); while (r < threshold);
        return (long)(r % bound);
    }

    /// <summary>A uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public long NextInt64(long minInclusive, long maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"the range [{minInclusive}, {maxExclusive}) is empty.");
        return minInclusive + NextInt64(maxExclusive - minInclusive);
    }
}
