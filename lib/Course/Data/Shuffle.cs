namespace Course;

/// <summary>Seeded orderings computed in C#, so data splits and batch orders do not depend on libtorch's random state.</summary>
public static class Shuffle
{
    /// <summary>A random ordering of 0..n−1 (Fisher–Yates); the same seed gives the same ordering.</summary>
    public static long[] Permutation(long n, int seed)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n cannot be negative.");
        var order = new long[n];
        for (long i = 0; i < n; i++) order[i] = i;
        var random = new Random(seed);
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
