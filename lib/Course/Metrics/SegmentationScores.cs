namespace Course;

/// <summary>Which count a class pixel accuracy divides by (the literature uses both under the same name).</summary>
public enum ClassPixelAccuracyDefinition
{
    /// <summary>Correct pixels of the class / pixels *predicted* as the class: the precision of the class.</summary>
    OfPredicted,
    /// <summary>Correct pixels of the class / pixels that truly *are* the class: the recall of the class (the more common reading).</summary>
    OfTrue,
}

/// <summary>
/// Semantic segmentation scores, all read off the pixel confusion matrix (every pixel is one classified example):
/// pixel accuracy PA (fraction of pixels right), class pixel accuracy cPA per class (see
/// <see cref="ClassPixelAccuracyDefinition"/>), their mean mPA, and per-class intersection over union
/// IoU = TP / (TP + FP + FN) with its mean mIoU. A class with nothing to divide by (absent from both masks, or never
/// predicted for <see cref="ClassPixelAccuracyDefinition.OfPredicted"/>) gets NaN and is left out of the means.
/// </summary>
public sealed class SegmentationScores
{
    private SegmentationScores(ConfusionMatrix pixels) => Pixels = pixels;

    /// <summary>Scores of a predicted mask against the true mask: class ids of the same shape (any number of images).</summary>
    public static SegmentationScores From(Tensor predicted, Tensor truth, int classes)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (!predicted.shape.SequenceEqual(truth.shape))
            throw new ArgumentException($"the predicted mask [{string.Join(", ", predicted.shape)}] and the true mask [{string.Join(", ", truth.shape)}] differ in shape.");
        if (predicted.is_floating_point() || truth.is_floating_point())
            throw new ArgumentException("masks hold class ids (integers); take the argmax over the class scores first.");
        using var p = predicted.reshape(-1).to(torch.int64);
        using var t = truth.reshape(-1).to(torch.int64);
        return new SegmentationScores(ConfusionMatrix.From(p, t, Enumerable.Range(0, classes).Select(i => i.ToString()).ToList()));
    }

    /// <summary>Scores from a pixel confusion matrix [true class, predicted class].</summary>
    public static SegmentationScores From(ConfusionMatrix pixels) => new(pixels ?? throw new ArgumentNullException(nameof(pixels)));

    /// <summary>The pixel confusion matrix [true class, predicted class].</summary>
    public ConfusionMatrix Pixels { get; }

    public int Classes => Pixels.Classes;

    /// <summary>PA: correct pixels / all pixels.</summary>
    public double PixelAccuracy => Pixels.Accuracy;

    /// <summary>cPA of each class under <paramref name="definition"/>.</summary>
    public double[] ClassPixelAccuracy(ClassPixelAccuracyDefinition definition)
    {
        var result = new double[Classes];
        for (int c = 0; c < Classes; c++)
        {
            long divisor = definition switch
            {
                ClassPixelAccuracyDefinition.OfPredicted => Predicted(c),
                ClassPixelAccuracyDefinition.OfTrue => Actual(c),
                _ => throw new ArgumentOutOfRangeException(nameof(definition), definition, "unknown definition."),
            };
            result[c] = divisor == 0 ? double.NaN : (double)Pixels[c, c] / divisor;
        }
        return result;
    }

    /// <summary>mPA: the mean cPA over the classes where it is defined.</summary>
    public double MeanPixelAccuracy(ClassPixelAccuracyDefinition definition) => NanMean(ClassPixelAccuracy(definition));

    /// <summary>IoU of each class: TP / (TP + FP + FN), the overlap of the predicted and true regions over their union.</summary>
    public double[] IoU()
    {
        var result = new double[Classes];
        for (int c = 0; c < Classes; c++)
        {
            long union = Predicted(c) + Actual(c) - Pixels[c, c];
            result[c] = union == 0 ? double.NaN : (double)Pixels[c, c] / union;
        }
        return result;
    }

    /// <summary>mIoU: the mean IoU over the classes present in either mask.</summary>
    public double MeanIoU => NanMean(IoU());

    private long Predicted(int c) => Enumerable.Range(0, Classes).Sum(t => Pixels[t, c]);
    private long Actual(int c) => Enumerable.Range(0, Classes).Sum(p => Pixels[c, p]);

    private static double NanMean(double[] values)
    {
        var defined = values.Where(v => !double.IsNaN(v)).ToArray();
        return defined.Length == 0 ? double.NaN : defined.Average();
    }

    public override string ToString() =>
        $"SegmentationScores({Classes} classes, {Pixels.Total} pixels, PA {PixelAccuracy:F4}, mIoU {MeanIoU:F4})";
}
