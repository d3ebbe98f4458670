using Course.Display;

namespace Course.Notebook;

/// <summary>
/// The page assets a notebook's page has loaded: each one is loaded once, by an output of its own placed before the
/// first output that requires it. The assets bring their loader HTML, so the engine never knows what they are.
/// </summary>
internal sealed class LoadedPageAssets
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The loader outputs of the assets <paramref name="bundle"/> requires that are not loaded yet; they count as loaded from now on.</summary>
    public IReadOnlyList<DisplayDataOutput> LoadersFor(MimeBundle bundle) =>
        bundle.Requires.Where(asset => _names.Add(asset.Name)).Select(asset => new DisplayDataOutput(asset.Loader(), null)).ToList();
}
