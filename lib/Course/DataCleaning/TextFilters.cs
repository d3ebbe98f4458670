namespace Course.DataCleaning;

/// <summary>
/// Rule-based text filters of the kind web-scale pipelines run before any model sees the text (CC3M's text filter,
/// LAION's alt-text length rule, GPT-3's exact de-duplication). Each returns the texts kept and every removed text
/// with its reason; the rules look at the normalised text (<see cref="TextNormalizer"/>).
/// </summary>
public static class TextFilters
{
    /// <summary>Removes texts that are empty after normalisation.</summary>
    public static FilterResult<string> NonEmpty(IReadOnlyList<string> texts) =>
        FilterResult<string>.Apply(texts, "empty", "empty after normalisation",
            t => TextNormalizer.Normalize(t).Length == 0 ? "empty" : null);

    /// <summary>
    /// Exact de-duplication: keeps the first text of each normal form (a hash set of the normalised texts), so copies
    /// that differ only in case, spacing or Unicode compatibility forms go too.
    /// </summary>
    public static FilterResult<string> ExactDuplicates(IReadOnlyList<string> texts)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int index = 0;
        return FilterResult<string>.Apply(texts, "exact duplicates", "same normalised text as an earlier one", t =>
        {
            var key = TextNormalizer.Normalize(t);
            int i = index++;
            if (seen.TryGetValue(key, out var first)) return $"copy of text {first}";
            seen[key] = i;
            return null;
        });
    }

    /// <summary>Keeps texts whose normalised length in characters lies in [min, max].</summary>
    public static FilterResult<string> Length(IReadOnlyList<string> texts, int min, int max)
    {
        if (min < 0 || max < min) throw new ArgumentOutOfRangeException(nameof(max), $"the length bounds [{min}, {max}] are not a range.");
        return FilterResult<string>.Apply(texts, "length", $"{min} to {max} characters", t =>
        {
            int n = TextNormalizer.Normalize(t).Length;
            return n < min ? $"{n} characters < {min}" : n > max ? $"{n} characters > {max}" : null;
        });
    }

    /// <summary>
    /// The fraction of the normalised text's characters that are letters or spaces (1 for plain prose, low for
    /// ASCII art, tables, code and runs of symbols).
    /// </summary>
    public static double LetterFraction(string text)
    {
        var normal = TextNormalizer.Normalize(text);
        return normal.Length == 0 ? 0 : (double)normal.Count(c => char.IsLetter(c) || c == ' ') / normal.Length;
    }

    /// <summary>Keeps texts whose <see cref="LetterFraction"/> is at least <paramref name="min"/>.</summary>
    public static FilterResult<string> Letters(IReadOnlyList<string> texts, double min)
    {
        if (min is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(min), min, "a fraction lies in [0, 1].");
        return FilterResult<string>.Apply(texts, "characters", $"letters and spaces ≥ {min:P0} of the characters", t =>
        {
            double f = LetterFraction(t);
            return f < min ? $"letters and spaces {f:P0}" : null;
        });
    }

    /// <summary>The words of a text: maximal runs of letters, digits and apostrophes, lower case.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var normal = TextNormalizer.Normalize(text);
        int start = -1;
        for (int i = 0; i <= normal.Length; i++)
        {
            bool inWord = i < normal.Length && (char.IsLetterOrDigit(normal[i]) || normal[i] == '\'');
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0) { words.Add(normal[start..i].Trim('\'')); start = -1; }
        }
        return words.Where(w => w.Length > 0).ToList();
    }

    /// <summary>1 − distinct words / words: 0 when no word repeats, near 1 for "la la la la".</summary>
    public static double RepeatedWordRatio(string text)
    {
        var words = Words(text);
        return words.Count == 0 ? 0 : 1 - (double)words.Distinct().Count() / words.Count;
    }

    /// <summary>
    /// Keeps texts whose <see cref="RepeatedWordRatio"/> is at most <paramref name="max"/>; texts of fewer than
    /// <paramref name="minWords"/> words are kept (a short text repeats its stop words by chance).
    /// </summary>
    public static FilterResult<string> RepeatedWords(IReadOnlyList<string> texts, double max, int minWords = 10)
    {
        if (max is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(max), max, "a ratio lies in [0, 1].");
        return FilterResult<string>.Apply(texts, "repeated words", $"repeated-word ratio ≤ {max:F2} (texts of {minWords}+ words)", t =>
        {
            if (Words(t).Count < minWords) return null;
            double r = RepeatedWordRatio(t);
            return r > max ? $"repeated-word ratio {r:F2}" : null;
        });
    }

    /// <summary>Keeps texts that <see cref="EnglishHeuristic"/> calls English.</summary>
    public static FilterResult<string> English(IReadOnlyList<string> texts, double minStopWordFraction, int minWords = 6) =>
        FilterResult<string>.Apply(texts, "language", $"English stop words ≥ {minStopWordFraction:P0} of the words (texts of {minWords}+ words)", t =>
        {
            var words = Words(t);
            if (words.Count < minWords) return null;
            double f = EnglishHeuristic.StopWordFraction(words);
            return f < minStopWordFraction ? $"stop words {f:P0}: not English?" : null;
        });
}
