namespace Course;

/// <summary>The trials of one search, in the order they ran.</summary>
public sealed record SearchResult(IReadOnlyList<Trial> Trials)
{
    /// <summary>The trial with the lowest score (the earliest among equals).</summary>
    public Trial Best => Trials.MinBy(t => t.Score) ?? throw new InvalidOperationException("the search ran no trials.");

    /// <summary>The best score after each trial: the curve a search is judged by at equal budget.</summary>
    public IReadOnlyList<double> BestSoFar
    {
        get
        {
            var best = new double[Trials.Count];
            for (int i = 0; i < best.Length; i++) best[i] = Math.Min(i == 0 ? double.PositiveInfinity : best[i - 1], Trials[i].Score);
            return best;
        }
    }

    /// <summary>Steps run by all trials together: the search's compute.</summary>
    public int Steps => Trials.Sum(t => t.Steps);

    /// <summary>How many trials the stopping rule cut short.</summary>
    public int StoppedTrials => Trials.Count(t => t.Stopped);
}
