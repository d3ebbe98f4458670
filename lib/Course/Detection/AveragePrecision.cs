namespace Course;

/// <summary>How the precision-recall curve is turned into one number.</summary>
public enum ApInterpolation
{
    /// <summary>PASCAL VOC 2007: the mean, over recall levels r = 0, 0.1, …, 1, of the highest precision at recall ≥ r.</summary>
    Voc11Point,
    /// <summary>PASCAL VOC 2010+: the exact area under the precision envelope (each point's precision raised to the highest precision at any larger recall).</summary>
    AllPoint,
    /// <summary>COCO: the mean, over r = 0, 0.01, …, 1 (r = i/100), of the highest precision at recall ≥ r.</summary>
    Coco101Point,
}

/// <summary>
/// Precision, recall and average precision (AP) of one class. Keep the detections whose score is at least a threshold:
/// precision = TP / (TP + FP), recall = TP / (number of ground-truth objects). Lowering the threshold past each
/// detection in turn (highest score first) traces the precision-recall curve; AP summarises it. A recall level that
/// is never reached counts precision 0.
/// </summary>
public static class AveragePrecision
{
    /// <summary>
    /// The curve's points, one per detection: after keeping the k highest-scored detections (equal scores in the given
    /// order), precision[k−1] and recall[k−1]. <paramref name="isTruePositive"/> says which detections matched an object.
    /// </summary>
    public static (double[] Precision, double[] Recall) Curve(IReadOnlyList<double> scores, IReadOnlyList<bool> isTruePositive, int groundTruthCount)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isTruePositive);
        if (scores.Count != isTruePositive.Count) throw new ArgumentException($"{scores.Count} scores but {isTruePositive.Count} true/false flags.", nameof(isTruePositive));
        if (groundTruthCount < 0) throw new ArgumentOutOfRangeException(nameof(groundTruthCount), groundTruthCount, "the number of ground-truth objects cannot be negative.");
        if (groundTruthCount == 0) throw new ArgumentException("recall is undefined for a class with no ground-truth object.", nameof(groundTruthCount));
        int truePositives = isTruePositive.Count(t => t);
        if (truePositives > groundTruthCount) throw new ArgumentException($"{truePositives} true positives for {groundTruthCount} objects: an object can be matched only once.", nameof(isTruePositive));
        var order = Nms.ByDecreasingScore(scores);
        var precision = new double[order.Length];
        var recall = new double[order.Length];
        int tp = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (isTruePositive[order[k]]) tp++;
            precision[k] = (double)tp / (k + 1);
            recall[k] = (double)tp / groundTruthCount;
        }
        return (precision, recall);
    }

    /// <summary>
    /// Keep the detections scored at least <paramref name="threshold"/>: how many are true and false positives, and the
    /// precision TP / (TP + FP) (NaN when nothing is kept) and recall TP / objects.
    /// </summary>
    public static (int TruePositives, int FalsePositives, double Precision, double Recall) AtThreshold(
        IReadOnlyList<double> scores, IReadOnlyList<bool> isTruePositive, int groundTruthCount, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isTruePositive);
        if (scores.Count != isTruePositive.Count) throw new ArgumentException($"{scores.Count} scores but {isTruePositive.Count} true/false flags.", nameof(isTruePositive));
        if (groundTruthCount < 1) throw new ArgumentOutOfRangeException(nameof(groundTruthCount), groundTruthCount, "recall needs at least one ground-truth object.");
        int tp = 0, fp = 0;
        for (int i = 0; i < scores.Count; i++)
            if (scores[i] >= threshold) { if (isTruePositive[i]) tp++; else fp++; }
        return (tp, fp, tp + fp == 0 ? double.NaN : (double)tp / (tp + fp), (double)tp / groundTruthCount);
    }

    /// <summary>The precision envelope: each point's precision replaced by the highest precision at this or any later point (recall never decreases along the curve).</summary>
    public static double[] Envelope(IReadOnlyList<double> precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        var e = precision.ToArray();
        for (int i = e.Length - 2; i >= 0; i--) e[i] = Math.Max(e[i], e[i + 1]);
        return e;
    }

    /// <summary>AP of a curve (points ordered by decreasing score, so recall is non-decreasing).</summary>
    public static double FromCurve(IReadOnlyList<double> precision, IReadOnlyList<double> recall, ApInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(precision);
        ArgumentNullException.ThrowIfNull(recall);
        if (precision.Count != recall.Count) throw new ArgumentException($"{precision.Count} precisions but {recall.Count} recalls.", nameof(recall));
        for (int i = 1; i < recall.Count; i++)
            if (recall[i] < recall[i - 1]) throw new ArgumentException($"recall decreases at point {i} ({recall[i - 1]} → {recall[i]}): give the points in order of decreasing score.", nameof(recall));
        var envelope = Envelope(precision);
        switch (interpolation)
        {
            case ApInterpolation.AllPoint:
            {
                // area of the step function: between consecutive recall values the envelope at the later point
                double area = 0, previousRecall = 0;
                for (int i = 0; i < recall.Count; i++)
                {
                    area += (recall[i] - previousRecall) * envelope[i];
                    previousRecall = recall[i];
                }
                return area;
            }
            case ApInterpolation.Voc11Point:
                return Enumerable.Range(0, 11).Average(i => PrecisionAtRecall(envelope, recall, i / 10.0));
            case ApInterpolation.Coco101Point:
                return Enumerable.Range(0, 101).Average(i => PrecisionAtRecall(envelope, recall, i / 100.0));
            default:
                throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "unknown interpolation.");
        }
    }

    /// <summary>AP straight from scored detections and their true/false flags.</summary>
    public static double Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> isTruePositive, int groundTruthCount, ApInterpolation interpolation)
    {
        var (p, r) = Curve(scores, isTruePositive, groundTruthCount);
        return FromCurve(p, r, interpolation);
    }

    /// <summary>The highest precision at recall ≥ <paramref name="level"/> (the envelope at the first such point), 0 if never reached.</summary>
    private static double PrecisionAtRecall(double[] envelope, IReadOnlyList<double> recall, double level)
    {
        for (int i = 0; i < recall.Count; i++)
            if (recall[i] >= level) return envelope[i];
        return 0;
    }
}
