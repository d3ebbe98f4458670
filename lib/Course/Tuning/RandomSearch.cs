namespace Course;

/// <summary>Random search: each configuration drawn independently from the search space with a seeded generator.</summary>
public sealed class RandomSearch : ISearchStrategy
{
    private readonly SearchSpace _space;
    private readonly SplitMix64 _random;

    public RandomSearch(SearchSpace space, int seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _random = new SplitMix64(seed);
    }

    public Configuration? Next(IReadOnlyList<Trial> history) => _space.Sample(_random);
}
