namespace Course;

/// <summary>
/// Precision TP/(TP+FP) against recall TP/P of predicting "positive" for scores ≥ t, for every distinct score t from
/// the highest down, so recall rises along the arrays. The first point (recall 0, precision 1, threshold +∞: nothing
/// predicted positive) anchors the curve, as scikit-learn draws it (scikit-learn lists the points in reverse order). <see cref="AveragePrecision"/> sums the precision at each threshold
/// weighted by the recall it adds, Σ (Rₖ − Rₖ₋₁) Pₖ, a step integral without interpolation.
/// </summary>
public sealed record PrecisionRecallCurve(double[] Precision, double[] Recall, double[] Thresholds)
{
    /// <summary>The curve of <paramref name="scores"/> (higher: more likely positive) against the true labels.</summary>
    public static PrecisionRecallCurve From(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        var c = ThresholdCounts.From(scores, positives);
        if (c.Positives == 0) throw new ArgumentException("a precision-recall curve needs at least one positive example.", nameof(positives));
        int n = c.Thresholds.Length;
        var precision = new double[n + 1];
        var recall = new double[n + 1];
        for (int i = 0; i < n; i++)
        {
            long predicted = c.TruePositives[i] + c.FalsePositives[i];
            precision[i + 1] = predicted == 0 ? 0 : (double)c.TruePositives[i] / predicted;
            recall[i + 1] = (double)c.TruePositives[i] / c.Positives;
        }
        precision[0] = 1;
        recall[0] = 0;
        return new PrecisionRecallCurve(precision, recall, c.Thresholds.Prepend(double.PositiveInfinity).ToArray());
    }

    /// <summary>Σ (Rₖ − Rₖ₋₁) Pₖ over the thresholds (scikit-learn's average_precision_score).</summary>
    public double AveragePrecision
    {
        get
        {
            double sum = 0;
            for (int i = 1; i < Recall.Length; i++) sum += (Recall[i] - Recall[i - 1]) * Precision[i];
            return sum;
        }
    }

    /// <summary>F1 = 2PR/(P+R) at each point (0 where P+R is 0), e.g. to choose a threshold.</summary>
    public double[] F1 => Precision.Zip(Recall, (p, r) => p + r == 0 ? 0 : 2 * p * r / (p + r)).ToArray();

    /// <summary>Average precision of <paramref name="scores"/> against the true labels.</summary>
    public static double AveragePrecisionOf(IReadOnlyList<double> scores, IReadOnlyList<bool> positives) => From(scores, positives).AveragePrecision;
}
