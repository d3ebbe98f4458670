namespace Course;

/// <summary>
/// Words to token ids and back, for short captions. Text is lower-cased and split on white space; the vocabulary is
/// &lt;pad&gt; = 0, &lt;eos&gt; = 1, &lt;unk&gt; = 2, then the distinct words of the texts it was built from, sorted
/// ordinally, so the same texts always give the same ids. A word it has not seen becomes &lt;unk&gt;.
/// </summary>
public sealed class WordTokenizer
{
    public const string Pad = "<pad>", Eos = "<eos>", Unk = "<unk>";
    public const long PadId = 0, EosId = 1, UnkId = 2;
    private static readonly string[] Specials = [Pad, Eos, Unk];

    private readonly string[] _tokens;
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);

    /// <summary>A tokenizer for the words of these texts.</summary>
    public WordTokenizer(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var words = texts.SelectMany(Words).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (words.Length == 0) throw new ArgumentException("the texts hold no words, so there is no vocabulary to build.", nameof(texts));
        _tokens = Specials.Concat(words).ToArray();
        for (int i = Specials.Length; i < _tokens.Length; i++) _ids[_tokens[i]] = i;
    }

    /// <summary>The words of a text: lower-cased, split on white space.</summary>
    public static string[] Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Every token by id.</summary>
    public IReadOnlyList<string> Tokens => _tokens;
    public int VocabSize => _tokens.Length;

    /// <summary>True when <paramref name="word"/> has its own id.</summary>
    public bool Contains(string word) => _ids.ContainsKey(word.ToLowerInvariant());

    /// <summary>The ids of the words of <paramref name="text"/>, then &lt;eos&gt; when asked.</summary>
    public long[] Encode(string text, bool addEos = true)
    {
        var ids = Words(text).Select(w => _ids.TryGetValue(w, out var id) ? id : UnkId);
        return (addEos ? ids.Append(EosId) : ids).ToArray();
    }

    /// <summary>
    /// The texts as one int64 tensor [N, length]: each row its word ids, &lt;eos&gt;, then &lt;pad&gt; up to
    /// <paramref name="length"/> (default: the longest row). A text longer than <paramref name="length"/> is an error.
    /// </summary>
    public Tensor EncodeBatch(IReadOnlyList<string> texts, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("there are no texts to encode.", nameof(texts));
        var rows = texts.Select(t => Encode(t)).ToArray();
        int longest = rows.Max(r => r.Length);
        int width = length ?? longest;
        if (longest > width)
        {
            int i = Array.FindIndex(rows, r => r.Length > width);
            throw new ArgumentException($"text {i} (\"{texts[i]}\") has {rows[i].Length} tokens with <eos>, more than the length {width}.", nameof(texts));
        }
        var flat = new long[rows.Length * width];                       // <pad> is 0
        for (int i = 0; i < rows.Length; i++) Array.Copy(rows[i], 0, flat, (long)i * width, rows[i].Length);
        return torch.tensor(flat, new long[] { rows.Length, width });
    }

    /// <summary>The text of these ids: words joined by spaces, stopping at &lt;eos&gt;, &lt;pad&gt; skipped.</summary>
    public string Decode(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var words = new List<string>();
        foreach (var id in ids)
        {
            if (id < 0 || id >= VocabSize) throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is outside the vocabulary (0..{VocabSize - 1}).");
            if (id == EosId) break;
            if (id == PadId) continue;
            words.Add(_tokens[id]);
        }
        return string.Join(' ', words);
    }

    public override string ToString() => $"WordTokenizer({VocabSize} tokens, with <pad> <eos> <unk>)";
}
