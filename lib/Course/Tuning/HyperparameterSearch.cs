namespace Course;

/// <summary>
/// Runs a hyperparameter search: asks the strategy for configurations, one trial at a time, until the budget of trials
/// is spent (or the strategy has nothing left). The objective trains a model with a configuration and yields its
/// validation loss after each step (an epoch, say); the search reads it lazily, so when the stopping rule says stop
/// it simply stops reading and the rest of that training never runs. A loss that is not a finite number (a diverged
/// run) is recorded as +∞ and ends the trial. Given <c>maxSteps</c>, the number of losses a full trial yields, a trial
/// that reached it ends normally: the rule is not asked after the last step, where stopping would save nothing.
/// </summary>
public static class HyperparameterSearch
{
    public static SearchResult Run(ISearchStrategy strategy, Func<Configuration, IEnumerable<double>> objective, int budget,
        MedianStoppingRule? stopping = null, Action<Trial>? onTrial = null, int? maxSteps = null)
    {
        if (maxSteps is < 1) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "a trial runs at least one step.");
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(objective);
        if (budget < 1) throw new ArgumentOutOfRangeException(nameof(budget), budget, "the budget is a number of trials, at least 1.");
        var trials = new List<Trial>();
        while (trials.Count < budget && strategy.Next(trials) is { } configuration)
        {
            var curve = new List<double>();
            bool stopped = false;
            foreach (var loss in objective(configuration))
            {
                curve.Add(double.IsFinite(loss) ? loss : double.PositiveInfinity);
                if (!double.IsFinite(loss)) break;
                if (curve.Count == maxSteps) break;
                if (stopping is not null && stopping.ShouldStop(curve, trials)) { stopped = true; break; }
            }
            if (curve.Count == 0) throw new InvalidOperationException($"the objective reported no validation loss for {configuration}.");
            var trial = new Trial(trials.Count, configuration, curve, stopped);
            trials.Add(trial);
            onTrial?.Invoke(trial);
        }
        return new SearchResult(trials);
    }
}
