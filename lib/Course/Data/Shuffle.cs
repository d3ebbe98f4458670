namespace Course;

/// <summary>
/// Seeded orderings computed in C# with <see cref="SplitMix64"/>, so data splits and batch orders depend neither on
/// libtorch's random state nor on the .NET version.
/// </summary>
public static class Shuffle
{
    /// <summary>A random ordering of 0..n−1 (Fisher–Yates); the same seed gives the same ordering.</summary>
    public static long[] Permutation(long n, int seed) => Permutation(n, new SplitMix64(seed));

    /// <summary>A random ordering of 0..n−1 (Fisher–Yates) drawn from <paramref name="random"/>.</summary>
    public static long[] Permutation(long n, SplitMix64 random)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n cannot be negative.");
        ArgumentNullException.ThrowIfNull(random);
        var order = new long[n];
        for (long i = 0; i < n; i++) order[i] = i;
        for (long i = n - 1; i > 0; i--)
        {
            long j = random.NextInt64(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The items in a seeded random order (a new list).</summary>
    public static List<T> Items<T>(IReadOnlyList<T> items, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Permutation(items.Count, seed).Select(i => items[(int)i]).ToList();
    }
}
