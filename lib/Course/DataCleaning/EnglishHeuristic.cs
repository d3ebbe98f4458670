namespace Course.DataCleaning;

/// <summary>
/// A language heuristic with no model: the fraction of a text's words that are among English's most common function
/// words. Running English prose puts 35-55% of its words in such a list; other languages, code, lists of names and
/// symbol art put few there. A crude stand-in for a language detector such as CLD3 (which LAION used): it tells
/// English from not-English and nothing more, and it misjudges short texts, so filters apply it from a few words up.
/// </summary>
public static class EnglishHeuristic
{
    /// <summary>The function words counted (lower case).</summary>
    public static IReadOnlySet<string> StopWords { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
        "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "him",
        "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "my", "no", "not", "of", "on", "one",
        "or", "our", "out", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there", "they",
        "this", "to", "up", "us", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you",
        "your", "it's", "don't", "i'm",
    };

    /// <summary>The fraction of <paramref name="words"/> (lower case) that are stop words; 0 for no words.</summary>
    public static double StopWordFraction(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Count == 0 ? 0 : (double)words.Count(StopWords.Contains) / words.Count;
    }

    /// <summary>The same for a text, split by <see cref="TextFilters.Words"/>.</summary>
    public static double StopWordFraction(string text) => StopWordFraction(TextFilters.Words(text));
}
