namespace Course;

/// <summary>How soft-NMS lowers the score of a box that overlaps the box just selected.</summary>
public enum SoftNmsDecay
{
    /// <summary>s ← s·(1 − IoU) when IoU &gt; N_t, else unchanged.</summary>
    Linear,
    /// <summary>s ← s·exp(−IoU²/σ), for every remaining box.</summary>
    Gaussian,
}

/// <summary>
/// Soft-NMS (Bodla et al., 2017): instead of deleting the boxes that overlap a selected one, lower their scores by a
/// decay that grows with the overlap, so that a second object hidden behind the first can survive with a lower score.
/// Repeatedly select the remaining box with the highest (current) score (ties: the lower index), record it with that
/// score, and decay the scores of all boxes still remaining; boxes whose score falls below
/// <c>scoreThreshold</c> are dropped.
/// </summary>
public static class SoftNms
{
    /// <summary>The selected boxes as (index, decayed score), in the order of selection (decreasing score).</summary>
    public static List<(int Index, double Score)> Apply(IReadOnlyList<Box> boxes, IReadOnlyList<double> scores, SoftNmsDecay decay,
        double iouThreshold = 0.3, double sigma = 0.5, double scoreThreshold = 0.001)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        if (boxes.Count != scores.Count) throw new ArgumentException($"{boxes.Count} boxes but {scores.Count} scores.", nameof(scores));
        if (decay == SoftNmsDecay.Gaussian && !(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be positive.");
        if (double.IsNaN(iouThreshold) || double.IsNaN(scoreThreshold)) throw new ArgumentException("thresholds must not be NaN.");
        for (int i = 0; i < boxes.Count; i++)
        {
            boxes[i].Validated($"{nameof(boxes)}[{i}]");
            if (double.IsNaN(scores[i])) throw new ArgumentException($"score {i} is NaN.", nameof(scores));
        }
        var current = scores.ToArray();
        var remaining = Enumerable.Range(0, boxes.Count).Where(i => current[i] >= scoreThreshold).ToList();
        var selected = new List<(int, double)>();
        while (remaining.Count > 0)
        {
            int best = remaining[0];
            foreach (var i in remaining) if (current[i] > current[best] || (current[i] == current[best] && i < best)) best = i;
            selected.Add((best, current[best]));
            remaining.Remove(best);
            foreach (var i in remaining) current[i] *= Factor(BoxIoU.Of(boxes[best], boxes[i]), decay, iouThreshold, sigma);
            remaining.RemoveAll(i => current[i] < scoreThreshold);
        }
        return selected;
    }

    /// <summary>The factor a score is multiplied by when its box overlaps the selected box by <paramref name="iou"/>.</summary>
    public static double Factor(double iou, SoftNmsDecay decay, double iouThreshold = 0.3, double sigma = 0.5) => decay switch
    {
        SoftNmsDecay.Linear => iou > iouThreshold ? 1 - iou : 1,
        SoftNmsDecay.Gaussian => Math.Exp(-iou * iou / sigma),
        _ => throw new ArgumentOutOfRangeException(nameof(decay), decay, "unknown decay."),
    };

    /// <summary>Soft-NMS within each class separately; the detections come back with their decayed scores.</summary>
    public static List<Detection> PerClass(IReadOnlyList<Detection> detections, SoftNmsDecay decay, double iouThreshold = 0.3, double sigma = 0.5, double scoreThreshold = 0.001)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var kept = new List<Detection>();
        foreach (var group in detections.GroupBy(d => d.Label))
        {
            var list = group.ToList();
            foreach (var (i, s) in Apply(list.Select(d => d.Box).ToList(), list.Select(d => d.Score).ToList(), decay, iouThreshold, sigma, scoreThreshold))
                kept.Add(list[i] with { Score = s });
        }
        return kept.OrderByDescending(d => d.Score).ToList();
    }
}
