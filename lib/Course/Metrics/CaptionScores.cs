namespace Course;

/// <summary>
/// How well generated captions of captioned Fashion-MNIST say what is in the image, read back with
/// <see cref="CaptionedFashionMnist.Read"/>: the share whose class word names the true class (a synonym counts), the
/// share whose attribute is the true one, the share with both right, and the attribute accuracy for each true
/// attribute (NaN for an attribute no image has). A caption that names no class, or two, counts as wrong.
/// </summary>
public sealed record CaptionScores(double ClassWordAccuracy, double AttributeAccuracy, double BothAccuracy,
                                   IReadOnlyList<double> AttributeAccuracyByAttribute, IReadOnlyList<int> CountByAttribute)
{
    /// <summary>Scores <paramref name="captions"/> against the true classes and attributes of their images.</summary>
    public static CaptionScores Score(IReadOnlyList<string> captions, IReadOnlyList<long> labels, IReadOnlyList<long> attributes)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(attributes);
        if (captions.Count != labels.Count || captions.Count != attributes.Count)
            throw new ArgumentException($"{captions.Count} captions need as many labels ({labels.Count}) and attributes ({attributes.Count}).");
        if (captions.Count == 0) throw new ArgumentException("there are no captions to score.", nameof(captions));
        int attributeCount = CaptionedFashionMnist.AttributeNames.Count;
        var right = new int[attributeCount];
        var count = new int[attributeCount];
        int classRight = 0, attributeRight = 0, bothRight = 0;
        for (int i = 0; i < captions.Count; i++)
        {
            if (attributes[i] < 0 || attributes[i] >= attributeCount)
                throw new ArgumentOutOfRangeException(nameof(attributes), attributes[i], $"attributes are 0..{attributeCount - 1}.");
            var (cls, attribute) = CaptionedFashionMnist.Read(captions[i]);
            bool c = cls == labels[i], a = attribute == attributes[i];
            classRight += c ? 1 : 0; attributeRight += a ? 1 : 0; bothRight += c && a ? 1 : 0;
            count[attributes[i]]++; right[attributes[i]] += a ? 1 : 0;
        }
        double n = captions.Count;
        return new CaptionScores(classRight / n, attributeRight / n, bothRight / n,
            right.Zip(count, (r, k) => k == 0 ? double.NaN : (double)r / k).ToArray(), count);
    }
}
