using System.Text.Json.Nodes;

namespace Course.Display;

/// <summary>
/// One displayed value in every representation it offers, keyed by MIME type (a Jupyter "MIME bundle").
/// Text representations are strings; JSON ones (<c>application/json</c>, <c>*+json</c>) are <see cref="JsonNode"/>s.
/// <see cref="Requires"/> lists the page assets (such as plotly.js) that must be loaded once before the HTML runs.
/// </summary>
public sealed class MimeBundle
{
    private readonly Dictionary<string, object> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PageAsset> _requires = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, object> Data => _data;
    public JsonObject Metadata { get; } = new();
    public IReadOnlyCollection<PageAsset> Requires => _requires.Values;

    public static MimeBundle Text(string text) => new MimeBundle().With(MimeTypes.PlainText, text);
    public static MimeBundle Html(string html) => new MimeBundle().With(MimeTypes.Html, html);

    /// <summary>Adds or replaces one representation. JSON types take a JsonNode, all others a string.</summary>
    public MimeBundle With(string mimeType, object value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        ArgumentNullException.ThrowIfNull(value);
        bool json = IsJsonType(mimeType);
        if (json && value is not JsonNode)
            throw new ArgumentException($"MIME type {mimeType} holds JSON; pass a JsonNode, not {value.GetType().Name}.", nameof(value));
        if (!json && value is not string)
            throw new ArgumentException($"MIME type {mimeType} holds text; pass a string, not {value.GetType().Name}.", nameof(value));
        _data[mimeType] = value;
        return this;
    }

    /// <summary>Lists <paramref name="asset"/> as needed by this output (once per name).</summary>
    public MimeBundle Require(PageAsset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        _requires.TryAdd(asset.Name, asset);
        return this;
    }

    public bool TryGet(string mimeType, out object value) => _data.TryGetValue(mimeType, out value!);

    public string? GetText(string mimeType) => _data.TryGetValue(mimeType, out var v) ? v as string : null;

    /// <summary>A copy holding only the given MIME types (in the given order of preference); throws when none is offered.</summary>
    public MimeBundle Select(IReadOnlyCollection<string> mimeTypes)
    {
        if (mimeTypes.Count == 0) return this;
        var selected = new MimeBundle();
        foreach (var m in mimeTypes)
            if (_data.TryGetValue(m, out var v)) selected._data[m] = v;
        if (selected._data.Count == 0)
            throw new ArgumentException($"the value offers {string.Join(", ", _data.Keys)}, none of the requested {string.Join(", ", mimeTypes)}.");
        foreach (var r in _requires.Values) selected.Require(r);
        foreach (var (k, v) in Metadata) selected.Metadata[k] = v?.DeepClone();
        return selected;
    }

    public static bool IsJsonType(string mimeType) =>
        mimeType == MimeTypes.Json || mimeType.EndsWith("+json", StringComparison.Ordinal);

    public override string ToString() => GetText(MimeTypes.PlainText) ?? $"MimeBundle({string.Join(", ", _data.Keys)})";
}
