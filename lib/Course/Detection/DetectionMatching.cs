namespace Course;

/// <summary>
/// Which detections of one image and one class are true positives at an IoU threshold. Greedy by score, as COCO's
/// evaluation does: visit the detections by decreasing score (equal scores in the given order); each takes the
/// not-yet-matched ground-truth box with the highest IoU, if that IoU is at least the threshold, and is then a true
/// positive; otherwise it is a false positive (a duplicate of an object already found is a false positive). Every
/// ground-truth object is matched at most once.
/// </summary>
public static class DetectionMatching
{
    /// <summary>For each detection (in the given order), whether it is a true positive.</summary>
    public static bool[] Match(IReadOnlyList<Box> detections, IReadOnlyList<double> scores, IReadOnlyList<Box> groundTruth, double iouThreshold)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (detections.Count != scores.Count) throw new ArgumentException($"{detections.Count} detections but {scores.Count} scores.", nameof(scores));
        if (!(iouThreshold > 0 && iouThreshold <= 1)) throw new ArgumentOutOfRangeException(nameof(iouThreshold), iouThreshold, "the IoU threshold must be in (0, 1].");
        var taken = new bool[groundTruth.Count];
        var result = new bool[detections.Count];
        foreach (int d in Nms.ByDecreasingScore(scores))
        {
            int best = -1;
            double bestIoU = iouThreshold;
            for (int g = 0; g < groundTruth.Count; g++)
            {
                if (taken[g]) continue;
                double iou = BoxIoU.Of(detections[d], groundTruth[g]);
                if (iou >= bestIoU && (best < 0 || iou > bestIoU)) { best = g; bestIoU = iou; }
            }
            if (best >= 0) { taken[best] = true; result[d] = true; }
        }
        return result;
    }
}
