namespace Course.DataCleaning;

/// <summary>
/// Symmetric label noise for experiments: exactly round(rate·N) labels, chosen with a seed, are replaced by a class
/// drawn uniformly from the other C − 1 classes (so a flipped label is always wrong), the rest are kept.
/// </summary>
public static class LabelNoise
{
    /// <summary>The noisy labels and the indexes that were flipped (ascending).</summary>
    public static (long[] Labels, int[] Flipped) Flip(IReadOnlyList<long> labels, double rate, int numClasses, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (rate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the noise rate lies in [0, 1].");
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "flipping a label needs at least two classes.");
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0 || labels[i] >= numClasses) throw new ArgumentException($"label {i} is {labels[i]}, outside [0, {numClasses}).", nameof(labels));
        var random = new SplitMix64(seed);
        var order = Shuffle.Permutation(labels.Count, random);
        int count = (int)Math.Round(rate * labels.Count);
        var flipped = order[..count].Select(i => (int)i).Order().ToArray();
        var noisy = labels.ToArray();
        foreach (var i in flipped) noisy[i] = (noisy[i] + 1 + random.NextInt64(numClasses - 1)) % numClasses;
        return (noisy, flipped);
    }
}
