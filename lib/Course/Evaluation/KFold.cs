namespace Course;

/// <summary>
/// k-fold cross-validation: the examples, shuffled with a seed, are cut into k disjoint folds and each fold is the test
/// split once while the other k − 1 train. As in scikit-learn's KFold, the first n mod k folds hold ⌊n/k⌋ + 1
/// examples and the rest ⌊n/k⌋, so every example is tested exactly once.
/// </summary>
public static class KFold
{
    /// <summary>The k train/test splits of n examples, fold 0 first.</summary>
    public static IReadOnlyList<TrainTestSplit> Split(int n, int k, int seed)
    {
        CheckFolds(n, k);
        var order = Shuffle.Permutation(n, seed);
        var fold = new int[n];
        int start = 0;
        for (int f = 0; f < k; f++)
        {
            int size = FoldSize(n, k, f);
            for (int i = start; i < start + size; i++) fold[order[i]] = f;
            start += size;
        }
        return FromAssignment(fold, k);
    }

    /// <summary>How many examples fold <paramref name="fold"/> of n holds: ⌊n/k⌋, plus one for the first n mod k folds.</summary>
    public static int FoldSize(int n, int k, int fold) => n / k + (fold < n % k ? 1 : 0);

    internal static void CheckFolds(int n, int k)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "k-fold cross-validation needs at least 2 folds.");
        if (n < k) throw new ArgumentException($"{n} examples cannot fill {k} folds; k must not exceed the number of examples.", nameof(k));
    }

    /// <summary>The splits of a fold assignment (fold[i] is the fold example i is tested in), indexes in ascending order.</summary>
    internal static IReadOnlyList<TrainTestSplit> FromAssignment(int[] fold, int k)
    {
        var splits = new TrainTestSplit[k];
        for (int f = 0; f < k; f++)
        {
            var test = new List<long>();
            var train = new List<long>();
            for (int i = 0; i < fold.Length; i++) (fold[i] == f ? test : train).Add(i);
            splits[f] = new TrainTestSplit(train.ToArray(), test.ToArray());
        }
        return splits;
    }
}
