namespace Course.Display;

/// <summary>
/// A displayed output that can be replaced in place later (Jupyter's display_id):
/// <c>var h = display(x); ... h.Update(y);</c>
/// </summary>
public sealed class DisplayHandle
{
    private readonly Action<object?, string[]> _update;

    public DisplayHandle(string displayId, Action<object?, string[]> update)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayId);
        DisplayId = displayId;
        _update = update ?? throw new ArgumentNullException(nameof(update));
    }

    public string DisplayId { get; }

    /// <summary>Replaces the displayed output with <paramref name="value"/> (optionally restricted to some MIME types).</summary>
    public void Update(object? value, params string[] mimeTypes) => _update(value, mimeTypes);

    public override string ToString() => $"DisplayHandle({DisplayId})";
}
