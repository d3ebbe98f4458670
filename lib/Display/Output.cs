namespace Course.Display;

/// <summary>
/// The ambient display target of the code that is running now: a notebook cell has one, a terminal program has none.
/// Library code (for example <see cref="Progress"/>) asks here whether it can show rich output.
/// </summary>
public static class Output
{
    private static readonly AsyncLocal<IDisplayTarget?> Ambient = new();
    private static volatile IDisplayTarget? _host;

    /// <summary>The current target, or null when output goes to a terminal.</summary>
    public static IDisplayTarget? Current => Ambient.Value ?? _host;

    /// <summary>True when running inside a notebook cell.</summary>
    public static bool InNotebook => Current is not null;

    /// <summary>
    /// The target of a host whose cells do not run inside a scope of <see cref="Use"/> (.NET Interactive runs each
    /// submission in its own async flow): used wherever no ambient target flows. Null removes it.
    /// </summary>
    public static void UseHost(IDisplayTarget? target) => _host = target;

    /// <summary>Makes <paramref name="target"/> current for this async flow until the returned scope is disposed.</summary>
    public static IDisposable Use(IDisplayTarget? target)
    {
        var previous = Ambient.Value;
        Ambient.Value = target;
        return new Scope(() => Ambient.Value = previous);
    }

    /// <summary>Displays a value in the notebook, or writes its text form to the console outside one.</summary>
    public static DisplayHandle? Display(object? value, params string[] mimeTypes)
    {
        if (Current is { } target) return target.Display(value, mimeTypes);
        Console.WriteLine(Formatter.ToPlainText(value));
        return null;
    }

    /// <summary>Throws OperationCanceledException when the user interrupted the running cell.</summary>
    public static void ThrowIfInterrupted() => Current?.Cancellation.ThrowIfCancellationRequested();

    private sealed class Scope(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
