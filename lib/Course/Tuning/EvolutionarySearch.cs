namespace Course;

/// <summary>
/// An evolutionary (genetic) search over a discretised space. (1) Each range is cut into <c>points</c> values. (2) The
/// first <see cref="PopulationSize"/> configurations are drawn at random and evaluated. (3) From then on the population
/// is the best <see cref="PopulationSize"/> trials so far; the rest are dropped. (4) Two parents are picked by
/// tournament (the best of <see cref="TournamentSize"/> members drawn at random, so better ones are picked more often)
/// and crossed over: each parameter comes from one parent or the other with probability ½. (5) Each parameter of the
/// child is mutated with probability <see cref="MutationRate"/>: half the time to a neighbouring value, otherwise to
/// any value. A child already evaluated is mutated again, so no configuration is tried twice while unseen ones remain.
/// </summary>
public sealed class EvolutionarySearch : ISearchStrategy
{
    private readonly IReadOnlyList<IReadOnlyList<double>> _values;
    private readonly string[] _names;
    private readonly SplitMix64 _random;
    private readonly long _size;

    public EvolutionarySearch(SearchSpace space, int points, int populationSize, int seed, int tournamentSize = 2, double mutationRate = 0.3)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (populationSize < 2) throw new ArgumentOutOfRangeException(nameof(populationSize), populationSize, "the population needs at least 2 members to have parents.");
        if (tournamentSize < 1) throw new ArgumentOutOfRangeException(nameof(tournamentSize), tournamentSize, "a tournament needs at least 1 entrant.");
        if (!(mutationRate >= 0 && mutationRate <= 1)) throw new ArgumentOutOfRangeException(nameof(mutationRate), mutationRate, "the mutation rate is a probability in [0, 1].");
        _values = space.Discretise(points);
        _names = space.Parameters.Select(p => p.Name).ToArray();
        _size = _values.Aggregate(1L, (n, v) => n * v.Count);
        _random = new SplitMix64(seed);
        PopulationSize = populationSize; TournamentSize = tournamentSize; MutationRate = mutationRate;
    }

    public int PopulationSize { get; }
    public int TournamentSize { get; }
    public double MutationRate { get; }

    public Configuration? Next(IReadOnlyList<Trial> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var seen = history.Select(t => t.Configuration).ToHashSet();
        bool exhausted = seen.Count >= _size;
        if (history.Count < PopulationSize)
        {
            int[] genome;
            int tries = 0;
            do genome = _values.Select(v => (int)_random.NextInt64(v.Count)).ToArray();
            while (!exhausted && seen.Contains(Decode(genome)) && ++tries < 1000);
            return Decode(genome);
        }
        var population = history.OrderBy(t => t.Score).ThenBy(t => t.Number).Take(PopulationSize).ToArray();
        var mother = Encode(Tournament(population).Configuration);
        var father = Encode(Tournament(population).Configuration);
        var child = mother.Select((g, i) => (_random.NextUInt64() & 1) == 0 ? g : father[i]).ToArray();
        Mutate(child);
        for (int tries = 0; !exhausted && seen.Contains(Decode(child)) && tries < 1000; tries++) Mutate(child);
        return Decode(child);
    }

    private Trial Tournament(Trial[] population)
    {
        Trial best = population[_random.NextInt64(population.Length)];
        for (int i = 1; i < TournamentSize; i++)
        {
            var other = population[_random.NextInt64(population.Length)];
            if (other.Score < best.Score || (other.Score == best.Score && other.Number < best.Number)) best = other;
        }
        return best;
    }

    private void Mutate(int[] genome)
    {
        for (int i = 0; i < genome.Length; i++)
        {
            if (!(Uniform() < MutationRate)) continue;
            int count = _values[i].Count;
            if (Uniform() < 0.5) genome[i] = Math.Clamp(genome[i] + ((_random.NextUInt64() & 1) == 0 ? -1 : 1), 0, count - 1);
            else genome[i] = (int)_random.NextInt64(count);
        }
    }

    private double Uniform() => (_random.NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private Configuration Decode(int[] genome) => new(_names, genome.Select((g, i) => _values[i][g]).ToArray());

    private int[] Encode(Configuration configuration) => _values.Select((v, i) =>
    {
        int index = v.ToList().IndexOf(configuration.Values[i]);
        if (index < 0) throw new ArgumentException($"{configuration} is not on this search's grid.", nameof(configuration));
        return index;
    }).ToArray();
}
