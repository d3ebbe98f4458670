namespace Course;

/// <summary>
/// One evaluated configuration of a hyperparameter search: the validation loss after each step it ran (its learning
/// curve), whether an early-stopping rule cut it short, and its score, the lowest loss it reached (lower is better).
/// </summary>
public sealed record Trial(int Number, Configuration Configuration, IReadOnlyList<double> Curve, bool Stopped)
{
    /// <summary>The lowest validation loss of the curve (+∞ for an empty curve).</summary>
    public double Score => Curve.Count == 0 ? double.PositiveInfinity : Curve.Min();

    /// <summary>How many steps the trial ran: its share of the search's compute.</summary>
    public int Steps => Curve.Count;

    public override string ToString() => $"trial {Number}: {Configuration} → {Score:G4} after {Steps} steps{(Stopped ? " (stopped early)" : "")}";
}
