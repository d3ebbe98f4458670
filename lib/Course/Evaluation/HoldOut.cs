namespace Course;

/// <summary>
/// Hold-out evaluation: a seeded share of the examples is set aside as the test split and never trained on. The plain
/// version draws the test examples from the whole set, so a class can be over- or under-represented by chance; the
/// stratified version draws round(n_c · testFraction) from each class c, so the test split keeps the class proportions.
/// Unlike <see cref="StratifiedSplit"/>, whose test split is fixed once for a course data set, every seed here gives a
/// new test split: that is what repeated hold-out averages over.
/// </summary>
public static class HoldOut
{
    /// <summary>A random hold-out split of n examples: round(n · testFraction) of them, drawn with the seed, are the test split.</summary>
    public static TrainTestSplit Split(int n, double testFraction, int seed)
    {
        Check(n, testFraction);
        int nTest = (int)Math.Round(n * testFraction);
        if (nTest < 1 || nTest >= n)
            throw new ArgumentException($"a test fraction of {testFraction} of {n} examples leaves {nTest} for testing and {n - nTest} for training; both need at least one.", nameof(testFraction));
        var order = Shuffle.Permutation(n, seed);
        return new TrainTestSplit(order[nTest..], order[..nTest]);
    }

    /// <summary>
    /// A stratified hold-out split: each class c gives round(n_c · testFraction) of its examples, drawn with the seed,
    /// to the test split. Both splits come back in a seeded random order.
    /// </summary>
    public static TrainTestSplit Stratified(IReadOnlyList<int> labels, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Check(labels.Count, testFraction);
        var random = new SplitMix64(seed);
        List<long> train = [], test = [];
        foreach (var group in labels.Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key))
        {
            var members = group.Select(p => (long)p.index).ToArray();
            int nTest = (int)Math.Round(members.Length * testFraction);
            var order = Shuffle.Permutation(members.Length, random);
            test.AddRange(order[..nTest].Select(i => members[i]));
            train.AddRange(order[nTest..].Select(i => members[i]));
        }
        if (test.Count == 0 || train.Count == 0)
            throw new ArgumentException($"a test fraction of {testFraction} leaves {test.Count} examples for testing and {train.Count} for training; both need at least one.", nameof(testFraction));
        return new TrainTestSplit(Reorder(train, random), Reorder(test, random));
    }

    private static long[] Reorder(List<long> items, SplitMix64 random) =>
        Shuffle.Permutation(items.Count, random).Select(i => items[(int)i]).ToArray();

    private static void Check(int n, double testFraction)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "a hold-out split needs at least 2 examples.");
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must lie strictly between 0 and 1.");
    }
}
