namespace Course.DataCleaning;

/// <summary>What one filter did: its name, the rule it applied, how many items came in and how many it removed.</summary>
public sealed record FilterReport(string Filter, string Rule, int Before, int Removed)
{
    public int Kept => Before - Removed;
    public double RemovedFraction => Before == 0 ? 0 : (double)Removed / Before;
}

/// <summary>
/// The outcome of a filter: the items kept (in their order), the items removed each with the reason it was removed,
/// and the <see cref="FilterReport"/> that counts them.
/// </summary>
public sealed record FilterResult<T>(IReadOnlyList<T> Kept, IReadOnlyList<(T Item, string Reason)> Removed, FilterReport Report)
{
    /// <summary>
    /// Applies a rule to every item: <paramref name="reject"/> returns null to keep an item, else the reason it goes.
    /// </summary>
    public static FilterResult<T> Apply(IReadOnlyList<T> items, string filter, string rule, Func<T, string?> reject)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(reject);
        var kept = new List<T>();
        var removed = new List<(T, string)>();
        foreach (var item in items)
        {
            if (reject(item) is { } reason) removed.Add((item, reason));
            else kept.Add(item);
        }
        return new FilterResult<T>(kept, removed, new FilterReport(filter, rule, items.Count, removed.Count));
    }
}
