namespace Course;

/// <summary>
/// Grid search: every combination of the discretised values, in a fixed order (the last parameter fastest). With N
/// parameters of m₁, …, m_N values it runs m₁ · m₂ · … · m_N trials, the size of <see cref="Configurations"/>.
/// </summary>
public sealed class GridSearch : ISearchStrategy
{
    public GridSearch(SearchSpace space, params int[] points)
    {
        ArgumentNullException.ThrowIfNull(space);
        Configurations = space.Grid(points);
    }

    /// <summary>The grid, in the order it is searched.</summary>
    public IReadOnlyList<Configuration> Configurations { get; }

    public Configuration? Next(IReadOnlyList<Trial> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Count < Configurations.Count ? Configurations[history.Count] : null;
    }
}
