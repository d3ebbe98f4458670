using Course.Display;

namespace Course.Notebook;

/// <summary>
/// What every cell sees without a using, as in the .NET Interactive C# kernel:
/// <c>display(value, mimeTypes...)</c> returning an updatable handle, and <c>HTML(string)</c>.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly NotebookSession _session;

    internal NotebookGlobals(NotebookSession session) => _session = session;

    /// <summary>Shows a value as a new output; <c>handle.Update(newValue)</c> replaces it in place.</summary>
    public DisplayHandle display(object? value, params string[] mimeTypes) => _session.Display(value, mimeTypes);

    /// <summary>Raw HTML; display it or make it the cell's last expression.</summary>
    public HtmlString HTML(string html) => new(html ?? throw new ArgumentNullException(nameof(html)));
}
