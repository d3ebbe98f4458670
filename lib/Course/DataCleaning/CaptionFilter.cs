namespace Course.DataCleaning;

/// <summary>
/// The image-text consistency check of CC3M: a classifier tags each image with its most likely classes, and a pair is
/// kept only if its caption mentions one of them (a class is mentioned when any of its words or phrases occurs in the
/// caption as whole words). Pairs whose text does not describe the picture go, as LAION drops pairs whose CLIP
/// similarity is low.
/// </summary>
public static class CaptionFilter
{
    /// <summary>Whether <paramref name="caption"/> mentions one of <paramref name="classes"/> (by <paramref name="classWords"/>).</summary>
    public static bool Mentions(string caption, IEnumerable<int> classes, IReadOnlyList<IReadOnlyList<string>> classWords)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(classWords);
        var padded = " " + string.Join(' ', TextFilters.Words(caption)) + " ";
        foreach (var c in classes)
        {
            if (c < 0 || c >= classWords.Count) throw new ArgumentOutOfRangeException(nameof(classes), c, $"class {c} has no words (there are {classWords.Count} classes).");
            if (classWords[c].Any(w => padded.Contains(" " + string.Join(' ', TextFilters.Words(w)) + " ", StringComparison.Ordinal))) return true;
        }
        return false;
    }

    /// <summary>
    /// Keeps the pairs (by index) whose caption mentions one of the image's top classes; <paramref name="topClasses"/>
    /// holds each image's predicted classes, most likely first.
    /// </summary>
    public static FilterResult<int> Apply(IReadOnlyList<string> captions, IReadOnlyList<int[]> topClasses, IReadOnlyList<IReadOnlyList<string>> classWords, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentNullException.ThrowIfNull(topClasses);
        if (captions.Count != topClasses.Count) throw new ArgumentException($"{captions.Count} captions but {topClasses.Count} predictions.");
        int k = topClasses.Count == 0 ? 0 : topClasses[0].Length;
        return FilterResult<int>.Apply(Enumerable.Range(0, captions.Count).ToList(), "image-text", $"the caption names one of the classifier's top {k} classes",
            i => Mentions(captions[i], topClasses[i], classWords) ? null
                : $"classifier says {string.Join(" / ", topClasses[i].Select(c => classNames[c]))}");
    }
}
