namespace Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost open scope, and frees
/// them when disposed: <c>using var scope = torch.NewDisposeScope();</c>. Keep a result with
/// <see cref="Tensor.MoveToOuterDisposeScope"/> or <see cref="Tensor.DetachFromDisposeScope"/>.
/// Parameters and optimizer state are never collected. Scopes are per thread: do not await inside.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;
    private readonly List<Tensor> tensors = new();
    private bool disposed;

    internal static DisposeScope? Current => current;
    public DisposeScope? Outer { get; }

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>Tensors this scope will free.</summary>
    public int Count => tensors.Count(t => t.scope == this && !t.IsDisposed);

    internal void Attach(Tensor t)
    {
        t.scope = this;
        tensors.Add(t);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in tensors)
            if (t.scope == this) t.Dispose();
        tensors.Clear();
        if (current == this) current = Outer;
        else throw new InvalidOperationException("dispose scopes must be disposed in the reverse order they were opened (on the same thread)");
    }
}
