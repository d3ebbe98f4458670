namespace Course;

/// <summary>
/// What a score threshold does to a binary problem, at every distinct score: predicting "positive" for scores ≥ t
/// gives <see cref="TruePositives"/>[i] and <see cref="FalsePositives"/>[i] at t = <see cref="Thresholds"/>[i]
/// (thresholds from the highest score down). The ROC and precision-recall curves are both read off these counts.
/// </summary>
internal sealed record ThresholdCounts(double[] Thresholds, long[] TruePositives, long[] FalsePositives, long Positives, long Negatives)
{
    public static ThresholdCounts From(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positives);
        if (scores.Count != positives.Count) throw new ArgumentException($"{scores.Count} scores but {positives.Count} labels; they are paired.");
        if (scores.Count == 0) throw new ArgumentException("there are no scores.", nameof(scores));
        for (int i = 0; i < scores.Count; i++)
            if (!double.IsFinite(scores[i])) throw new ArgumentException($"score {i} is {scores[i]}; scores must be finite.", nameof(scores));
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var thresholds = new List<double>();
        var tps = new List<long>();
        var fps = new List<long>();
        long tp = 0, fp = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (positives[order[k]]) tp++; else fp++;
            // one point per distinct score: all examples with this score switch to "positive" together
            if (k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]])
            {
                thresholds.Add(scores[order[k]]);
                tps.Add(tp);
                fps.Add(fp);
            }
        }
        return new ThresholdCounts(thresholds.ToArray(), tps.ToArray(), fps.ToArray(), tp, fp);
    }
}
