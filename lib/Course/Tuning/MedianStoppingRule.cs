namespace Course;

/// <summary>
/// Early stopping of bad trials (the median stopping rule of Google Vizier, Golovin et al. 2017): after step t a trial
/// stops when the best validation loss it has reached so far is worse than the median of the best-so-far losses that
/// the earlier trials had reached by the same step. The first <see cref="GraceSteps"/> steps always run, and the rule
/// waits until at least <see cref="MinTrials"/> earlier trials reached step t, so it has something to compare with.
/// </summary>
public sealed class MedianStoppingRule
{
    public MedianStoppingRule(int graceSteps = 1, int minTrials = 3)
    {
        if (graceSteps < 1) throw new ArgumentOutOfRangeException(nameof(graceSteps), graceSteps, "at least the first step must run.");
        if (minTrials < 1) throw new ArgumentOutOfRangeException(nameof(minTrials), minTrials, "the median needs at least one earlier trial.");
        GraceSteps = graceSteps; MinTrials = minTrials;
    }

    public int GraceSteps { get; }
    public int MinTrials { get; }

    /// <summary>Whether a trial whose curve so far is <paramref name="curve"/> (steps 0 … t) should stop, given the earlier trials.</summary>
    public bool ShouldStop(IReadOnlyList<double> curve, IReadOnlyList<Trial> earlier)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(earlier);
        int t = curve.Count - 1;
        if (t < GraceSteps) return false;
        var others = earlier.Where(e => e.Curve.Count > t).Select(e => BestUpTo(e.Curve, t)).Order().ToArray();
        if (others.Length < MinTrials) return false;
        double median = others.Length % 2 == 1 ? others[others.Length / 2] : (others[others.Length / 2 - 1] + others[others.Length / 2]) / 2;
        return BestUpTo(curve, t) > median;
    }

    private static double BestUpTo(IReadOnlyList<double> curve, int t)
    {
        double best = double.PositiveInfinity;
        for (int i = 0; i <= t; i++) best = Math.Min(best, curve[i]);
        return best;
    }
}
