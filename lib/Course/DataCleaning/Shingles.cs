namespace Course.DataCleaning;

/// <summary>
/// Shingles: the set of overlapping k-grams of a text, of characters ("abcd", k = 2 → {ab, bc, cd}) or of words. Two
/// texts are compared by the Jaccard similarity of their shingle sets, |A ∩ B| / |A ∪ B|. A text shorter than k gives
/// one shingle, itself, so every non-empty text has at least one. Shingles are hashed to 64 bits (FNV-1a over the
/// UTF-16 code units) for MinHash; <see cref="Jaccard{T}"/> works on the strings or on the hashes.
/// </summary>
public static class Shingles
{
    /// <summary>The character k-shingles of <paramref name="text"/> (as given: normalise first).</summary>
    public static HashSet<string> Characters(string text, int k)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "a shingle needs k ≥ 1 characters.");
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (text.Length == 0) return set;
        if (text.Length <= k) { set.Add(text); return set; }
        for (int i = 0; i + k <= text.Length; i++) set.Add(text.Substring(i, k));
        return set;
    }

    /// <summary>The word k-shingles of <paramref name="text"/> (words split at white space, joined by one space).</summary>
    public static HashSet<string> Words(string text, int k)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "a shingle needs k ≥ 1 words.");
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (words.Length == 0) return set;
        if (words.Length <= k) { set.Add(string.Join(' ', words)); return set; }
        for (int i = 0; i + k <= words.Length; i++) set.Add(string.Join(' ', words, i, k));
        return set;
    }

    /// <summary>|A ∩ B| / |A ∪ B|; two empty sets are identical (1).</summary>
    public static double Jaccard<T>(IReadOnlySet<T> a, IReadOnlySet<T> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 && b.Count == 0) return 1;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        int both = small.Count(large.Contains);
        return (double)both / (a.Count + b.Count - both);
    }

    /// <summary>A 64-bit FNV-1a hash of a shingle (stable across runs and .NET versions, unlike string.GetHashCode).</summary>
    public static ulong Hash(string shingle)
    {
        ArgumentNullException.ThrowIfNull(shingle);
        ulong h = 14695981039346656037UL;
        foreach (char c in shingle)
        {
            h = unchecked((h ^ (byte)c) * 1099511628211UL);
            h = unchecked((h ^ (byte)(c >> 8)) * 1099511628211UL);
        }
        return h;
    }

    /// <summary>The hashes of a shingle set.</summary>
    public static HashSet<ulong> Hashes(IEnumerable<string> shingles) => shingles.Select(Hash).ToHashSet();
}
