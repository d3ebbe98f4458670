namespace Course.DataCleaning;

/// <summary>
/// Near-duplicate detection over texts: each text is normalised (<see cref="TextNormalizer"/>), cut into character
/// k-shingles, MinHashed, and LSH banding proposes candidate pairs; every candidate is verified by the exact Jaccard
/// similarity of the shingle sets, and the pairs at or above the threshold link texts into clusters (<see cref="DuplicateClusters"/>). De-duplication keeps the first text of each cluster (in the input order)
/// and removes the rest.
/// </summary>
public sealed class NearDuplicates
{
    private NearDuplicates(int count, IReadOnlyList<(int I, int J, double Jaccard)> candidates, double threshold)
    {
        Count = count;
        Candidates = candidates;
        Threshold = threshold;
        Pairs = candidates.Where(p => p.Jaccard >= threshold).ToList();
        Groups = new DuplicateClusters(count, Pairs.Select(p => (p.I, p.J)));
    }

    /// <summary>How many texts were compared.</summary>
    public int Count { get; }
    /// <summary>Every candidate pair LSH proposed, with its exact Jaccard similarity.</summary>
    public IReadOnlyList<(int I, int J, double Jaccard)> Candidates { get; }
    /// <summary>The candidates at or above <see cref="Threshold"/>: the near-duplicate pairs.</summary>
    public IReadOnlyList<(int I, int J, double Jaccard)> Pairs { get; }
    public double Threshold { get; }
    /// <summary>The clusters the pairs link (a chain a~b~c is one cluster), their group ids and what de-duplication removes.</summary>
    public DuplicateClusters Groups { get; }

    /// <summary>
    /// Finds the near-duplicates among <paramref name="texts"/> (none may be empty after normalisation): character
    /// <paramref name="shingleSize"/>-shingles, <paramref name="bands"/> × <paramref name="rows"/> MinHashes drawn with
    /// <paramref name="seed"/>, verified pairs at Jaccard ≥ <paramref name="threshold"/>.
    /// </summary>
    public static NearDuplicates Find(IReadOnlyList<string> texts, double threshold, int shingleSize = 5, int bands = 32, int rows = 4, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (threshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the Jaccard threshold must lie in (0, 1].");
        var sets = new HashSet<ulong>[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            var normal = TextNormalizer.Normalize(texts[i] ?? throw new ArgumentException($"text {i} is null.", nameof(texts)));
            if (normal.Length == 0) throw new ArgumentException($"text {i} is empty after normalisation; drop empty texts before de-duplicating.", nameof(texts));
            sets[i] = Shingles.Hashes(Shingles.Characters(normal, shingleSize));
        }
        var minHash = new MinHash(bands * rows, seed);
        var signatures = new ulong[texts.Count][];
        Parallel.For(0, texts.Count, i => signatures[i] = minHash.Signature(sets[i]));
        var candidates = LshIndex.Candidates(signatures, bands, rows)
            .Select(p => (p.I, p.J, Shingles.Jaccard(sets[p.I], sets[p.J]))).ToList();
        return new NearDuplicates(texts.Count, candidates, threshold);
    }
}
