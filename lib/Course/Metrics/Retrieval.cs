namespace Course;

/// <summary>Retrieval metrics: recall@k of a ranking given by a similarity matrix.</summary>
public static class Retrieval
{
    /// <summary>
    /// Recall@k: the fraction of queries for which at least one relevant gallery item is among the k most similar.
    /// <paramref name="similarity"/> is [Q, G] (query × gallery), <paramref name="relevant"/> is bool [Q, G].
    /// Ties are broken by gallery order (the lower index ranks first). A query with no relevant item counts as a miss.
    /// </summary>
    public static double RecallAtK(Tensor similarity, Tensor relevant, int k)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(relevant);
        if (similarity.dim() != 2) throw new ArgumentException($"the similarity must be [queries, gallery], not [{string.Join(", ", similarity.shape)}].", nameof(similarity));
        if (!relevant.shape.SequenceEqual(similarity.shape))
            throw new ArgumentException($"relevant [{string.Join(", ", relevant.shape)}] must have the similarity's shape [{string.Join(", ", similarity.shape)}].", nameof(relevant));
        if (k < 1 || k > similarity.size(1)) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the gallery size {similarity.size(1)}.");
        var sim = similarity.cpu().to(torch.float64).contiguous().data<double>().ToArray();
        var rel = relevant.cpu().to(torch.@bool).contiguous().data<bool>().ToArray();
        int Q = (int)similarity.size(0), G = (int)similarity.size(1);
        int hits = 0;
        var order = new int[G];
        for (int q = 0; q < Q; q++)
        {
            for (int g = 0; g < G; g++) order[g] = g;
            int row = q * G;
            Array.Sort(order, (a, b) => sim[row + b].CompareTo(sim[row + a]) is var c && c != 0 ? c : a.CompareTo(b));   // descending, stable
            for (int r = 0; r < k; r++) if (rel[row + order[r]]) { hits++; break; }
        }
        return Q == 0 ? 0 : (double)hits / Q;
    }

    /// <summary>Recall@k when query i's only relevant item is gallery item <paramref name="targets"/>[i] .</summary>
    public static double RecallAtK(Tensor similarity, long[] targets, int k)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != similarity.size(0))
            throw new ArgumentException($"there are {targets.Length} targets for {similarity.size(0)} queries.", nameof(targets));
        if (targets.Any(t => t < 0 || t >= similarity.size(1)))
            throw new ArgumentOutOfRangeException(nameof(targets), $"targets must index the gallery of {similarity.size(1)} items.");
        using var scope = torch.NewDisposeScope();
        var relevant = torch.nn.functional.one_hot(torch.tensor(targets), similarity.size(1)).to(torch.@bool);
        return RecallAtK(similarity, relevant, k);
    }
}
