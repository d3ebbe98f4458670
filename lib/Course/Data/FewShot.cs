namespace Course;

/// <summary>
/// k-shot subsets of a labelled set: k examples of every class, drawn with a seed. Each class's examples (in the data's
/// order) are put in a seeded random order and the first k are taken, classes in ascending order, one
/// <see cref="SplitMix64"/> for all of them. The order does not depend on k, so for one seed the k-shot subset is
/// contained in the 2k-shot one (a curve over k adds examples instead of drawing new ones).
/// </summary>
public static class FewShot
{
    /// <summary>
    /// Indexes into <paramref name="labels"/> of k examples of every class 0..C−1 (C = <paramref name="numClasses"/>, or
    /// the largest label + 1), class by class: the k of class 0 first, then those of class 1, and so on.
    /// A class with fewer than k examples is an error that names it.
    /// </summary>
    public static long[] Sample(IReadOnlyList<long> labels, int k, int seed, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k-shot sampling needs k ≥ 1 examples per class.");
        if (labels.Count == 0) throw new ArgumentException("there are no labels to sample from.", nameof(labels));
        if (labels.Any(l => l < 0)) throw new ArgumentException($"labels must be class ids ≥ 0, found {labels.Min()}.", nameof(labels));
        int classes = numClasses ?? (int)labels.Max() + 1;
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "there must be at least one class.");
        if (labels.Max() >= classes) throw new ArgumentException($"labels must lie in [0, {classes}), found {labels.Max()}.", nameof(labels));

        var members = Enumerable.Range(0, classes).Select(_ => new List<long>()).ToArray();
        for (int i = 0; i < labels.Count; i++) members[labels[i]].Add(i);
        var random = new SplitMix64(seed);
        var chosen = new List<long>(classes * k);
        for (int c = 0; c < classes; c++)
        {
            if (members[c].Count < k)
                throw new ArgumentException($"class {c} has {members[c].Count} example{(members[c].Count == 1 ? "" : "s")}, fewer than k = {k}.", nameof(labels));
            var order = Shuffle.Permutation(members[c].Count, random);
            chosen.AddRange(order.Take(k).Select(j => members[c][(int)j]));
        }
        return chosen.ToArray();
    }

    /// <summary>The same for labels held in a 1-D integer tensor.</summary>
    /// <summary>As <see cref="Sample(IReadOnlyList{long}, int, int, int?)"/>, for an array (TorchSharp also converts
    /// arrays to tensors, so without this overload an array would fit both).</summary>
    public static long[] Sample(long[] labels, int k, int seed, int? numClasses = null) => Sample((IReadOnlyList<long>)labels, k, seed, numClasses);

    public static long[] Sample(Tensor labels, int k, int seed, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dim() != 1) throw new ArgumentException($"labels must be a 1-D tensor [N], not [{string.Join(", ", labels.shape)}].", nameof(labels));
        using var ids = labels.to(torch.int64).cpu();
        return Sample((IReadOnlyList<long>)ids.data<long>().ToArray(), k, seed, numClasses);
    }
}
