using System.Text;

namespace Course.DataCleaning;

/// <summary>
/// The normal form texts are compared in: Unicode NFKC (compatibility characters folded: "ﬁ" → "fi", full-width
/// letters → ASCII, "①" → "1"), lower case (invariant culture), every run of white space (newlines and tabs included)
/// one space, trimmed. Two texts that differ only in layout, case or such encodings normalise to the same string.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        bool space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c)) { space = builder.Length > 0; continue; }
            if (space) { builder.Append(' '); space = false; }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
