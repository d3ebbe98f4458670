namespace Course;

/// <summary>
/// The hyperparameters a search may set, each with its values (<see cref="Hyperparameter"/>). Random search samples it;
/// grid search enumerates the product of each parameter's values (m₁ · m₂ · … · m_N combinations); evolutionary search
/// works on the same discretised values.
/// </summary>
public sealed class SearchSpace
{
    public SearchSpace(params Hyperparameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Length == 0) throw new ArgumentException("a search space needs at least one parameter.", nameof(parameters));
        var twice = parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"parameter '{twice.Key}' appears twice.", nameof(parameters));
        Parameters = parameters.ToArray();
    }

    public IReadOnlyList<Hyperparameter> Parameters { get; }

    /// <summary>A configuration with every parameter drawn independently.</summary>
    public Configuration Sample(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new Configuration(Parameters.Select(p => p.Name).ToArray(), Parameters.Select(p => p.Sample(random)).ToArray());
    }

    /// <summary>Each parameter's finitely many values: a discrete one's choices, a range cut into <paramref name="points"/> values.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Discretise(int points) => Parameters.Select(p => p.Values(points)).ToArray();

    /// <summary>
    /// Every combination of the parameters' values (the last parameter varies fastest); <paramref name="points"/> is the
    /// number of values per range, one number for all or one per parameter (ignored for discrete parameters).
    /// </summary>
    public IReadOnlyList<Configuration> Grid(params int[] points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Length != 1 && points.Length != Parameters.Count)
            throw new ArgumentException($"give one number of grid points for all parameters or one for each of the {Parameters.Count}.", nameof(points));
        var values = Parameters.Select((p, i) => p.Values(points.Length == 1 ? points[0] : points[i])).ToArray();
        var names = Parameters.Select(p => p.Name).ToArray();
        IEnumerable<double[]> combinations = [[]];
        foreach (var axis in values)
            combinations = combinations.SelectMany(prefix => axis.Select(v => (double[])[.. prefix, v]));
        return combinations.Select(c => new Configuration(names, c)).ToList();
    }

    public override string ToString() => string.Join("; ", Parameters);
}
