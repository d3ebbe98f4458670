using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using KitFormatter = Course.Display.Formatter;

namespace Course.Display.Interactive;

/// <summary>
/// <see cref="Output"/>'s target inside .NET Interactive: a displayed value becomes a DisplayedValueProduced event of
/// the running submission, an update a DisplayedValueUpdated with the same id (what Jupyter front ends show as
/// display_data and update_display_data), and interrupts come from the submission's cancellation token.
/// </summary>
internal sealed class InteractiveTarget : IDisplayTarget
{
    private static readonly HashSet<string> SentAssets = new(StringComparer.Ordinal);

    public CancellationToken Cancellation => KernelInvocationContext.Current?.CancellationToken ?? CancellationToken.None;

    public DisplayHandle Display(object? value, params string[] mimeTypes)
    {
        var id = Guid.NewGuid().ToString("N");
        var context = Context();
        var bundle = KitFormatter.Format(value, mimeTypes);
        SendPageAssets(bundle);
        context.Publish(new DisplayedValueProduced(value, context.Command, Values(bundle), id));
        return new DisplayHandle(id, (newValue, newMimeTypes) =>
        {
            var now = Context();
            var updated = KitFormatter.Format(newValue, newMimeTypes);
            SendPageAssets(updated);
            now.Publish(new DisplayedValueUpdated(newValue, id, now.Command, Values(updated)));
        });
    }

    /// <summary>
    /// Sends, as outputs of their own, the loaders of the page assets <paramref name="bundle"/> needs that this kernel
    /// has not sent yet: an output of their own, so that an update in place of the output that needed them never
    /// removes them from the page.
    /// </summary>
    internal static void SendPageAssets(MimeBundle bundle)
    {
        List<PageAsset> missing;
        lock (SentAssets) missing = bundle.Requires.Where(a => SentAssets.Add(a.Name)).ToList();
        if (missing.Count == 0 || KernelInvocationContext.Current is not { } context) return;
        foreach (var asset in missing)
        {
            var loader = asset.Loader();
            context.Publish(new DisplayedValueProduced(null, context.Command, Values(loader), Guid.NewGuid().ToString("N")));
        }
    }

    private static KernelInvocationContext Context() =>
        KernelInvocationContext.Current ?? throw new InvalidOperationException("display was called outside a running .NET Interactive submission.");

    // the text forms only: .NET Interactive hands every value on as a string, and JSON types must reach Jupyter as objects
    private static IReadOnlyCollection<FormattedValue> Values(MimeBundle bundle) =>
        bundle.Data.Where(kv => kv.Value is string && (kv.Key.StartsWith("text/", StringComparison.Ordinal) || kv.Key.StartsWith("image/", StringComparison.Ordinal)))
                   .Select(kv => new FormattedValue(kv.Key, (string)kv.Value)).ToList();
}
