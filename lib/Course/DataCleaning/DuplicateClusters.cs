namespace Course.DataCleaning;

/// <summary>
/// Duplicate pairs turned into clusters: the connected components of the graph whose edges are the pairs (union-find),
/// so a chain a~b, b~c puts a, b and c in one cluster even when a and c were not paired. Each cluster is represented by
/// its smallest index (the first item in the data's order), which de-duplication keeps; the rest are removed.
/// </summary>
public sealed class DuplicateClusters
{
    public DuplicateClusters(int count, IEnumerable<(int I, int J)> pairs)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "the count cannot be negative.");
        ArgumentNullException.ThrowIfNull(pairs);
        var parent = Enumerable.Range(0, count).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var (i, j) in pairs)
        {
            if ((uint)i >= (uint)count || (uint)j >= (uint)count) throw new ArgumentOutOfRangeException(nameof(pairs), $"the pair ({i}, {j}) names an item outside 0..{count - 1}.");
            int a = Find(i), b = Find(j);
            if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);   // the root stays the smallest index
        }
        ClusterOf = Enumerable.Range(0, count).Select(Find).ToArray();
        Clusters = Enumerable.Range(0, count).GroupBy(i => ClusterOf[i]).Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<int>)g.Order().ToList()).OrderBy(c => c[0]).ToList();
        Removed = Clusters.SelectMany(c => c.Skip(1)).Order().ToList();
    }

    /// <summary>For each item, the smallest index of its cluster (itself when it has no duplicate): a group id for splits.</summary>
    public IReadOnlyList<int> ClusterOf { get; }
    /// <summary>The clusters of two or more items, each sorted, ordered by their first item.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Clusters { get; }
    /// <summary>What de-duplication removes: every member of a cluster but its first.</summary>
    public IReadOnlyList<int> Removed { get; }
}
