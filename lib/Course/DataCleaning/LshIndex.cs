namespace Course.DataCleaning;

/// <summary>
/// Locality-sensitive hashing by banding: a signature of n = b·r MinHashes is cut into b bands of r rows, and two items
/// become a candidate pair when all r rows of at least one band agree. For a pair of Jaccard similarity s one band
/// agrees with probability s^r, so the pair is a candidate with probability 1 − (1 − s^r)^b: an S-curve that is near 0
/// for dissimilar pairs and near 1 for similar ones, with its steepest point near (1/b)^(1/r). Candidates are then
/// verified by their exact Jaccard similarity; LSH only avoids comparing all n(n−1)/2 pairs.
/// </summary>
public static class LshIndex
{
    /// <summary>1 − (1 − s^r)^b, the probability that a pair of similarity s becomes a candidate.</summary>
    public static double CandidateProbability(double similarity, int rows, int bands)
    {
        if (similarity is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(similarity), similarity, "a similarity lies in [0, 1].");
        if (rows < 1 || bands < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"rows ({rows}) and bands ({bands}) must be at least 1.");
        return 1 - Math.Pow(1 - Math.Pow(similarity, rows), bands);
    }

    /// <summary>
    /// The candidate pairs (i &lt; j, each once, sorted) among <paramref name="signatures"/>, which must all have
    /// <paramref name="bands"/> × <paramref name="rows"/> hashes.
    /// </summary>
    public static IReadOnlyList<(int I, int J)> Candidates(IReadOnlyList<ulong[]> signatures, int bands, int rows)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        if (rows < 1 || bands < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"rows ({rows}) and bands ({bands}) must be at least 1.");
        for (int i = 0; i < signatures.Count; i++)
            if (signatures[i].Length != bands * rows)
                throw new ArgumentException($"signature {i} has {signatures[i].Length} hashes; {bands} bands of {rows} rows need {bands * rows}.", nameof(signatures));
        var pairs = new HashSet<(int, int)>();
        for (int band = 0; band < bands; band++)
        {
            var buckets = new Dictionary<ulong, List<int>>();
            for (int i = 0; i < signatures.Count; i++)
            {
                ulong key = 14695981039346656037UL;
                for (int r = 0; r < rows; r++) key = unchecked((key ^ signatures[i][band * rows + r]) * 1099511628211UL);
                if (!buckets.TryGetValue(key, out var list)) buckets[key] = list = [];
                list.Add(i);
            }
            foreach (var list in buckets.Values)
                for (int a = 0; a < list.Count; a++)
                    for (int b = a + 1; b < list.Count; b++) pairs.Add((list[a], list[b]));
        }
        return pairs.OrderBy(p => p.Item1).ThenBy(p => p.Item2).Select(p => (p.Item1, p.Item2)).ToList();
    }
}
