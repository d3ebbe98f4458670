namespace Course;

/// <summary>
/// The record of one <see cref="Trainer.Fit(DataLoader, int, DataLoader?, string)"/>: every step's loss, every epoch's
/// report (with validation when measured), and how long it took.
/// </summary>
public sealed record TrainingRun(string Label, IReadOnlyList<StepReport> Steps, IReadOnlyList<EpochReport> Epochs, double Seconds)
{
    /// <summary>Mean loss of the first <paramref name="steps"/> steps.</summary>
    public double FirstLoss(int steps = 10) => Window(steps, fromEnd: false);

    /// <summary>Mean loss of the last <paramref name="steps"/> steps.</summary>
    public double LastLoss(int steps = 10) => Window(steps, fromEnd: true);

    /// <summary>
    /// Throws when the mean loss of the last <paramref name="steps"/> steps is not below <paramref name="factor"/> times
    /// that of the first ones: a model that did not learn stops the chapter (and CI) with the numbers. Returns the run.
    /// </summary>
    public TrainingRun EnsureLearned(double factor, int steps = 10)
    {
        if (factor is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "the factor must be in (0, 1].");
        double first = FirstLoss(steps), last = LastLoss(steps);
        if (!(last < factor * first))
            throw new InvalidOperationException($"{Label} did not learn: the mean loss of the last {steps} steps is {last:F4}, not below {factor} x {first:F4} (the first {steps}).");
        return this;
    }

    /// <summary>"LeNet: loss 2.1034 -> 0.2617 in 554 s (6,450 steps)".</summary>
    public override string ToString() => $"{Label}: loss {FirstLoss():F4} -> {LastLoss():F4} in {Seconds:F0} s ({Steps.Count:N0} steps)";

    private double Window(int steps, bool fromEnd)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "average over at least one step.");
        if (Steps.Count == 0) throw new InvalidOperationException($"{Label} took no steps.");
        var window = fromEnd ? Steps.TakeLast(steps) : Steps.Take(steps);
        return window.Average(s => s.Loss);
    }
}
