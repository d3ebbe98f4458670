namespace Course.Display;

/// <summary>
/// Something a page must load once before HTML that uses it runs, such as a chart library's script. The asset carries
/// its own loader HTML, so a notebook engine emits it without knowing what it is (outputs list the assets they need in
/// <see cref="MimeBundle.Requires"/>).
/// </summary>
public sealed class PageAsset
{
    /// <summary>Output metadata key marking the output that loads an asset; its value is the asset's name.</summary>
    public const string MetadataKey = "course_asset";

    private readonly Func<string> _loaderHtml;

    /// <param name="name">Identifies the asset: a page loads each name once.</param>
    /// <param name="loaderHtml">Makes the HTML that loads the asset (called when a page first needs it).</param>
    public PageAsset(string name, Func<string> loaderHtml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(loaderHtml);
        Name = name;
        _loaderHtml = loaderHtml;
    }

    public string Name { get; }

    /// <summary>The HTML output that loads the asset, marked with <see cref="MetadataKey"/>.</summary>
    public MimeBundle Loader()
    {
        var bundle = MimeBundle.Html(_loaderHtml());
        bundle.Metadata[MetadataKey] = Name;
        return bundle;
    }

    public override string ToString() => Name;
}
