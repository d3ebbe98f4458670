using System.Text;
using System.Text.Json;

namespace Course;

/// <summary>
/// Characters to token ids and back. The vocabulary is the special tokens (when wanted: &lt;pad&gt; = 0, &lt;bos&gt; = 1,
/// &lt;eos&gt; = 2, &lt;unk&gt; = 3), then the distinct characters sorted by code point, so the same text always gives
/// the same ids. Without special tokens an unknown character is an error; with them it becomes &lt;unk&gt;.
/// </summary>
public sealed class CharTokenizer
{
    public const string Pad = "<pad>", Bos = "<bos>", Eos = "<eos>", Unk = "<unk>";
    private static readonly string[] Specials = [Pad, Bos, Eos, Unk];
    /// <summary>How &lt;unk&gt; decodes.</summary>
    public const char Replacement = '\uFFFD';

    private readonly string[] _tokens;
    private readonly Dictionary<char, long> _ids = new();

    /// <summary>A tokenizer for these characters (duplicates and order do not matter).</summary>
    public CharTokenizer(IEnumerable<char> characters, bool specialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(characters);
        var chars = characters.Distinct().Order().ToArray();
        if (chars.Length == 0) throw new ArgumentException("a tokenizer needs at least one character.", nameof(characters));
        HasSpecialTokens = specialTokens;
        _tokens = (specialTokens ? Specials : []).Concat(chars.Select(c => c.ToString())).ToArray();
        for (int i = 0; i < _tokens.Length; i++)
            if (!(specialTokens && i < Specials.Length)) _ids[_tokens[i][0]] = i;
    }

    /// <summary>A tokenizer for the characters that occur in <paramref name="text"/>.</summary>
    public static CharTokenizer FromText(string text, bool specialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new ArgumentException("the text is empty, so there is no vocabulary to build.", nameof(text));
        return new CharTokenizer(text, specialTokens);
    }

    public bool HasSpecialTokens { get; }
    /// <summary>Every token by id (special tokens by name, characters as one-character strings).</summary>
    public IReadOnlyList<string> Tokens => _tokens;
    public int VocabSize => _tokens.Length;
    public long PadId => Special(0);
    public long BosId => Special(1);
    public long EosId => Special(2);
    public long UnkId => Special(3);

    /// <summary>True when <paramref name="c"/> has its own id.</summary>
    public bool Contains(char c) => _ids.ContainsKey(c);

    /// <summary>The ids of the characters of <paramref name="text"/>, optionally between &lt;bos&gt; and &lt;eos&gt;.</summary>
    public long[] Encode(string text, bool addBos = false, bool addEos = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new long[text.Length + (addBos ? 1 : 0) + (addEos ? 1 : 0)];
        int k = 0;
        if (addBos) ids[k++] = BosId;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (_ids.TryGetValue(c, out var id)) ids[k++] = id;
            else if (HasSpecialTokens) ids[k++] = UnkId;
            else throw new ArgumentException($"character '{c}' (U+{(int)c:X4}) at position {i} is not in the vocabulary of {VocabSize} characters, and this tokenizer has no <unk> token.", nameof(text));
        }
        if (addEos) ids[k++] = EosId;
        return ids;
    }

    /// <summary><see cref="Encode"/> as an int64 tensor [length].</summary>
    public Tensor EncodeTensor(string text, bool addBos = false, bool addEos = false, Device? device = null) =>
        torch.tensor(Encode(text, addBos, addEos), device: device);

    /// <summary>
    /// The text of these ids. &lt;pad&gt; and &lt;bos&gt; are skipped, decoding stops at the first &lt;eos&gt; and &lt;unk&gt;
    /// shows as U+FFFD.
    /// </summary>
    public string Decode(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (id < 0 || id >= VocabSize) throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is outside the vocabulary (0..{VocabSize - 1}).");
            if (HasSpecialTokens && id < Specials.Length)
            {
                if (id == EosId) break;
                if (id == UnkId) text.Append(Replacement);
                continue;
            }
            text.Append(_tokens[id]);
        }
        return text.ToString();
    }

    /// <summary>The text of a 1-D tensor of ids.</summary>
    /// <summary>As <see cref="Decode(IEnumerable{long})"/>, for an array (TorchSharp also converts arrays to tensors).</summary>
    public string Decode(long[] ids) => Decode((IEnumerable<long>)ids);

    public string Decode(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.dim() != 1) throw new ArgumentException($"decode takes a 1-D tensor of ids, not shape [{string.Join(", ", ids.shape)}]; decode each row.", nameof(ids));
        return Decode((IEnumerable<long>)ids.data<long>().ToArray());
    }

    /// <summary>The vocabulary as JSON (to save next to a trained model).</summary>
    public string ToJson() => JsonSerializer.Serialize(new Saved(HasSpecialTokens, string.Concat(_tokens.Skip(HasSpecialTokens ? Specials.Length : 0))));

    /// <summary>A tokenizer from <see cref="ToJson"/>'s output; it gives the same ids.</summary>
    public static CharTokenizer FromJson(string json)
    {
        var saved = JsonSerializer.Deserialize<Saved>(json) ?? throw new InvalidDataException("the tokenizer JSON is empty.");
        if (string.IsNullOrEmpty(saved.Characters)) throw new InvalidDataException("the tokenizer JSON has no characters.");
        return new CharTokenizer(saved.Characters, saved.SpecialTokens);
    }

    private sealed record Saved(bool SpecialTokens, string Characters);

    private long Special(int index) => HasSpecialTokens ? index
        : throw new InvalidOperationException($"this tokenizer was made without special tokens, so it has no {Specials[index]}.");

    public override string ToString() => $"CharTokenizer({VocabSize} tokens{(HasSpecialTokens ? ", with <pad> <bos> <eos> <unk>" : "")})";
}
