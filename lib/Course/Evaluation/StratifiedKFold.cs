namespace Course;

/// <summary>
/// Stratified k-fold cross-validation: every fold keeps the class proportions of the whole set as closely as whole
/// numbers allow. The allocation is scikit-learn's (StratifiedKFold, version ≥ 0.22): number the classes in the order
/// they first appear, sort the labels, and give fold f the labels at sorted positions f, f + k, f + 2k, …; so fold
/// sizes differ by at most one and so do a class's counts in any two folds. Which examples of a class go to which fold
/// is drawn with the seed.
/// </summary>
public static class StratifiedKFold
{
    /// <summary>The k train/test splits, fold 0 first, indexes in ascending order.</summary>
    public static IReadOnlyList<TrainTestSplit> Split(IReadOnlyList<int> labels, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        KFold.CheckFolds(labels.Count, k);
        var allocation = Allocation(labels, k);
        var classes = ClassesByFirstAppearance(labels);
        var random = new SplitMix64(seed);
        var fold = new int[labels.Count];
        for (int c = 0; c < classes.Count; c++)
        {
            // fold numbers, as many of each as the allocation gives this class, in a seeded order
            var folds = Enumerable.Range(0, k).SelectMany(f => Enumerable.Repeat(f, allocation[f, c])).ToArray();
            var order = Shuffle.Permutation(folds.Length, random);
            int next = 0;
            for (int i = 0; i < labels.Count; i++)
                if (labels[i] == classes[c]) fold[i] = folds[order[next++]];
        }
        return KFold.FromAssignment(fold, k);
    }

    /// <summary>
    /// How many examples of each class each fold tests: [fold, class], classes numbered in the order they first appear
    /// in <paramref name="labels"/>.
    /// </summary>
    public static int[,] Allocation(IReadOnlyList<int> labels, int k)
    {
        ArgumentNullException.ThrowIfNull(labels);
        KFold.CheckFolds(labels.Count, k);
        var classes = ClassesByFirstAppearance(labels);
        int largest = labels.GroupBy(l => l).Max(g => g.Count());
        if (largest < k) throw new ArgumentException($"no class has {k} members (the largest has {largest}), so no fold could hold one of each; use fewer folds.", nameof(k));
        var code = classes.Select((label, c) => (label, c)).ToDictionary(p => p.label, p => p.c);
        var sorted = labels.Select(l => code[l]).Order().ToArray();
        var allocation = new int[k, classes.Count];
        for (int i = 0; i < sorted.Length; i++) allocation[i % k, sorted[i]]++;
        return allocation;
    }

    /// <summary>The distinct labels in the order they first appear.</summary>
    public static IReadOnlyList<int> ClassesByFirstAppearance(IReadOnlyList<int> labels) => labels.Distinct().ToList();
}
