namespace Course;

/// <summary>
/// Seeded stratified splits of a labelled set that has no split of its own (OpenCV's digits, the clip art): each class
/// gives round(n·testFraction) of its examples to the test split and round(n·validationFraction) to validation, the rest
/// to training, so every split keeps the class proportions. The test split is drawn with its own fixed seed
/// (<see cref="TestSeed"/>), so changing the seed of a run reshuffles training and validation but never moves an
/// example into or out of the test set. Orders come from <see cref="SplitMix64"/>.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>The seed of the test split, the same for every run.</summary>
    public const int TestSeed = 20261203;

    /// <summary>Indexes of the training, validation and test examples, each split in a seeded random order.</summary>
    public static (long[] Train, long[] Validation, long[] Test) Split(IReadOnlyList<int> labels, double validationFraction, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(testFraction >= 0 && validationFraction >= 0 && testFraction + validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"the validation ({validationFraction}) and test ({testFraction}) fractions must be at least 0 and sum to less than 1.");
        var testRandom = new SplitMix64(TestSeed);
        var random = new SplitMix64(seed);
        List<long> train = [], validation = [], test = [];
        foreach (var group in labels.Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key))
        {
            var members = group.Select(p => (long)p.index).ToArray();   // in the data's order
            int nTest = (int)Math.Round(members.Length * testFraction);
            int nValidation = (int)Math.Round(members.Length * validationFraction);
            var testOrder = Shuffle.Permutation(members.Length, testRandom);
            test.AddRange(testOrder[..nTest].Select(i => members[i]));
            var rest = testOrder[nTest..].Order().Select(i => members[i]).ToArray(); // independent of the test draw's order
            var restOrder = Shuffle.Permutation(rest.Length, random);
            validation.AddRange(restOrder[..nValidation].Select(i => rest[i]));
            train.AddRange(restOrder[nValidation..].Select(i => rest[i]));
        }
        return (Reorder(train, random), Reorder(validation, random), Reorder(test, new SplitMix64(TestSeed + 1)));
    }

    private static long[] Reorder(List<long> items, SplitMix64 random) =>
        Shuffle.Permutation(items.Count, random).Select(i => items[(int)i]).ToArray();

    /// <summary>
    /// The three splits of images held as bytes (<paramref name="imageShape"/> [C, H, W] per image, N images in a row)
    /// as float32 [N, C, H, W] in [0, 1] and int64 labels, with the training split's mean and standard deviation;
    /// <paramref name="limit"/> caps each split.
    /// </summary>
    public static ImageClassificationData Build(byte[] pixels, long[] imageShape, IReadOnlyList<int> labels, IReadOnlyList<string> classNames,
        (long[] Train, long[] Validation, long[] Test) splits, int? limit)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(imageShape);
        if (limit is < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be at least 1 (or null for all examples).");
        long per = imageShape.Aggregate(1L, (a, b) => a * b);
        if (pixels.LongLength != per * labels.Count) throw new ArgumentException($"{pixels.LongLength} bytes do not hold {labels.Count} images of [{string.Join(", ", imageShape)}].");
        using var scope = torch.NewDisposeScope();
        TensorDataset Make(long[] index)
        {
            if (limit is { } cap) index = index[..Math.Min(cap, index.Length)];
            var bytes = new byte[per * index.Length];
            for (int i = 0; i < index.Length; i++) Array.Copy(pixels, index[i] * per, bytes, i * per, per);
            using var raw = torch.tensor(bytes, [index.Length, .. imageShape]);
            using var floats = raw.to(torch.float32);
            var images = floats.div_(255.0).contiguous();
            var targets = torch.tensor(index.Select(i => (long)labels[(int)i]).ToArray());
            return new TensorDataset(images, targets);
        }
        var train = Make(splits.Train);
        var validation = Make(splits.Validation);
        var test = Make(splits.Test);
        if (train.Count < 2) throw new ArgumentException($"the training split holds {train.Count} examples; it needs at least 2 for a standard deviation.");
        double mean = train.Inputs.mean().ToDouble();
        double std = train.Inputs.std().ToDouble();
        return new ImageClassificationData(train, validation, test, classNames, mean, std);
    }
}
