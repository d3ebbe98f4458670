namespace Course.DataCleaning;

/// <summary>
/// Group-aware splits: every item carries a group id (a near-duplicate cluster, the file a text came from, the person
/// in a photo), and whole groups go to one split, so no group straddles training and test and nothing the model saw in
/// training comes back, reworded, at test time. Groups are put in a seeded order (<see cref="SplitMix64"/>) and dealt
/// to test until it holds round(n·testFraction) items, then to validation, the rest to training; a split can overshoot
/// its size by less than its last group.
/// </summary>
public static class GroupSplit
{
    /// <summary>Indexes of the training, validation and test items (each in the data's order).</summary>
    public static (long[] Train, long[] Validation, long[] Test) Split(IReadOnlyList<int> groups, double validationFraction, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (!(testFraction >= 0 && validationFraction >= 0 && testFraction + validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"the validation ({validationFraction}) and test ({testFraction}) fractions must be at least 0 and sum to less than 1.");
        if (groups.Count == 0) throw new ArgumentException("there are no items to split.", nameof(groups));
        var members = groups.Select((g, i) => (g, i)).GroupBy(p => p.g).OrderBy(g => g.Key)
            .Select(g => g.Select(p => (long)p.i).ToArray()).ToArray();
        var order = Shuffle.Permutation(members.Length, seed);
        long testTarget = (long)Math.Round(groups.Count * testFraction), validationTarget = (long)Math.Round(groups.Count * validationFraction);
        List<long> train = [], validation = [], test = [];
        foreach (var k in order)
        {
            var group = members[k];
            if (test.Count < testTarget) test.AddRange(group);
            else if (validation.Count < validationTarget) validation.AddRange(group);
            else train.AddRange(group);
        }
        return (train.Order().ToArray(), validation.Order().ToArray(), test.Order().ToArray());
    }

    /// <summary>How many groups have members on more than one side of a split (0 for a group-aware split).</summary>
    public static int Straddling(IReadOnlyList<int> groups, (long[] Train, long[] Validation, long[] Test) split)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var side = new Dictionary<int, int>();
        var straddling = new HashSet<int>();
        foreach (var (indexes, s) in new[] { (split.Train, 0), (split.Validation, 1), (split.Test, 2) })
            foreach (var i in indexes)
            {
                int g = groups[(int)i];
                if (side.TryGetValue(g, out var other) && other != s) straddling.Add(g);
                else side[g] = s;
            }
        return straddling.Count;
    }
}
