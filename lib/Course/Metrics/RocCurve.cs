namespace Course;

/// <summary>
/// The receiver operating characteristic of a score: for each threshold t (from +∞, where nothing is positive,
/// down to the lowest score), the false positive rate FP/N against the true positive rate (recall) TP/P of
/// predicting "positive" for scores ≥ t. <see cref="Auc"/> is the area under it by the trapezoid rule: the
/// probability that a random positive scores above a random negative (ties count half).
/// </summary>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds)
{
    /// <summary>The curve of <paramref name="scores"/> (higher: more likely positive) against the true labels.</summary>
    public static RocCurve From(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        var c = ThresholdCounts.From(scores, positives);
        if (c.Positives == 0 || c.Negatives == 0)
            throw new ArgumentException($"a ROC curve needs positive and negative examples; there are {c.Positives} positives and {c.Negatives} negatives.", nameof(positives));
        var fpr = c.FalsePositives.Select(f => (double)f / c.Negatives).Prepend(0).ToArray();
        var tpr = c.TruePositives.Select(t => (double)t / c.Positives).Prepend(0).ToArray();
        return new RocCurve(fpr, tpr, c.Thresholds.Prepend(double.PositiveInfinity).ToArray());
    }

    /// <summary>Area under the curve (trapezoid rule); 0.5 is chance, 1 a perfect ranking.</summary>
    public double Auc
    {
        get
        {
            double area = 0;
            for (int i = 1; i < FalsePositiveRate.Length; i++)
                area += (FalsePositiveRate[i] - FalsePositiveRate[i - 1]) * (TruePositiveRate[i] + TruePositiveRate[i - 1]) / 2;
            return area;
        }
    }

    /// <summary>ROC AUC of <paramref name="scores"/> against the true labels.</summary>
    public static double AreaUnder(IReadOnlyList<double> scores, IReadOnlyList<bool> positives) => From(scores, positives).Auc;
}
