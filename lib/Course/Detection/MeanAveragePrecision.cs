namespace Course;

/// <summary>AP of every class and their mean, at one IoU threshold.</summary>
public sealed record MapResult(double IoUThreshold, double Map, IReadOnlyDictionary<int, double> PerClass);

/// <summary>
/// Mean average precision over a set of images. For each class: match every image's detections of that class to its
/// ground truth (<see cref="DetectionMatching"/>), pool the scored true/false flags of all images, and take the AP
/// (<see cref="AveragePrecision"/>) against the total number of objects of the class. mAP is the mean over the
/// classes that have at least one ground-truth object (a class absent from the ground truth is left out, as COCO
/// does). mAP@[.5:.95] is the mean of mAP over IoU thresholds 0.50, 0.55, …, 0.95.
/// </summary>
public static class MeanAveragePrecision
{
    /// <summary>The ten IoU thresholds of mAP@[.5:.95].</summary>
    public static IReadOnlyList<double> CocoThresholds { get; } = Enumerable.Range(0, 10).Select(i => (50 + 5 * i) / 100.0).ToArray();

    /// <summary>mAP at one IoU threshold; <paramref name="detections"/>[i] and <paramref name="groundTruth"/>[i] belong to image i.</summary>
    public static MapResult Compute(IReadOnlyList<IReadOnlyList<Detection>> detections, IReadOnlyList<IReadOnlyList<LabeledBox>> groundTruth,
        double iouThreshold = 0.5, ApInterpolation interpolation = ApInterpolation.Coco101Point)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (detections.Count != groundTruth.Count) throw new ArgumentException($"detections for {detections.Count} images but ground truth for {groundTruth.Count}.", nameof(groundTruth));
        var classes = groundTruth.SelectMany(g => g.Select(o => o.Label)).Distinct().Order().ToList();
        if (classes.Count == 0) throw new ArgumentException("the ground truth holds no object: mAP is undefined.", nameof(groundTruth));
        var perClass = new SortedDictionary<int, double>();
        foreach (int c in classes)
        {
            var scores = new List<double>();
            var flags = new List<bool>();
            int objects = 0;
            for (int i = 0; i < detections.Count; i++)
            {
                var truth = groundTruth[i].Where(o => o.Label == c).Select(o => o.Box).ToList();
                var dets = detections[i].Where(d => d.Label == c).ToList();
                objects += truth.Count;
                var matched = DetectionMatching.Match(dets.Select(d => d.Box).ToList(), dets.Select(d => d.Score).ToList(), truth, iouThreshold);
                scores.AddRange(dets.Select(d => d.Score));
                flags.AddRange(matched);
            }
            perClass[c] = AveragePrecision.Compute(scores, flags, objects, interpolation);
        }
        return new MapResult(iouThreshold, perClass.Values.Average(), perClass);
    }

    /// <summary>mAP@[.5:.95]: the mean of mAP over the ten thresholds, with each threshold's result.</summary>
    public static (double Map, IReadOnlyList<MapResult> ByThreshold) Coco(IReadOnlyList<IReadOnlyList<Detection>> detections, IReadOnlyList<IReadOnlyList<LabeledBox>> groundTruth,
        ApInterpolation interpolation = ApInterpolation.Coco101Point)
    {
        var results = CocoThresholds.Select(t => Compute(detections, groundTruth, t, interpolation)).ToList();
        return (results.Average(r => r.Map), results);
    }
}
