namespace Course;

/// <summary>
/// Non-maximum suppression: visit the boxes by decreasing score; keep a box unless its IoU with a box kept before it
/// is greater than the threshold. It removes the duplicates a detector fires around one object. The rule, the strict
/// "greater than" and the arithmetic are torchvision.ops.nms's (same kept indices on random boxes). Ties: boxes with
/// equal scores are visited in index order (the lower index first), a stable sort.
/// </summary>
public static class Nms
{
    /// <summary>The indices of the kept boxes, by decreasing score.</summary>
    public static int[] Keep(IReadOnlyList<Box> boxes, IReadOnlyList<double> scores, double iouThreshold)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        if (boxes.Count != scores.Count) throw new ArgumentException($"{boxes.Count} boxes but {scores.Count} scores.", nameof(scores));
        if (double.IsNaN(iouThreshold)) throw new ArgumentException("the IoU threshold is NaN.", nameof(iouThreshold));
        for (int i = 0; i < boxes.Count; i++)
        {
            boxes[i].Validated($"{nameof(boxes)}[{i}]");
            if (double.IsNaN(scores[i])) throw new ArgumentException($"score {i} is NaN.", nameof(scores));
        }
        var order = ByDecreasingScore(scores);
        var suppressed = new bool[boxes.Count];
        var keep = new List<int>();
        for (int a = 0; a < order.Length; a++)
        {
            int i = order[a];
            if (suppressed[i]) continue;
            keep.Add(i);
            for (int b = a + 1; b < order.Length; b++)
            {
                int j = order[b];
                if (!suppressed[j] && BoxIoU.Of(boxes[i], boxes[j]) > iouThreshold) suppressed[j] = true;
            }
        }
        return keep.ToArray();
    }

    /// <summary>
    /// torchvision.ops.nms: boxes [N, 4] (x1, y1, x2, y2), scores [N]; the int64 indices of the kept boxes, by decreasing score.
    /// </summary>
    public static Tensor nms(Tensor boxes, Tensor scores, double iou_threshold)
    {
        BoxIoU.CheckBoxes(boxes, nameof(boxes));
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.dim() != 1 || scores.size(0) != boxes.size(0))
            throw new ArgumentException($"scores must be [N] = [{boxes.size(0)}], not [{string.Join(", ", scores.shape)}].", nameof(scores));
        using var s = scores.detach().cpu().to(float64).contiguous();
        var keep = Keep(BoxIoU.ToBoxes(boxes), s.data<double>().ToArray(), iou_threshold);
        return tensor(keep.Select(k => (long)k).ToArray(), device: boxes.device);
    }

    /// <summary>Indices sorted by decreasing score, equal scores in index order.</summary>
    internal static int[] ByDecreasingScore(IReadOnlyList<double> scores)
        => Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();   // OrderBy is stable

    /// <summary>NMS within each class separately (a box never suppresses a box of another class).</summary>
    public static List<Detection> PerClass(IReadOnlyList<Detection> detections, double iouThreshold)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var kept = new List<Detection>();
        foreach (var group in detections.GroupBy(d => d.Label))
        {
            var list = group.ToList();
            kept.AddRange(Keep(list.Select(d => d.Box).ToList(), list.Select(d => d.Score).ToList(), iouThreshold).Select(i => list[i]));
        }
        return kept.OrderByDescending(d => d.Score).ToList();
    }
}
