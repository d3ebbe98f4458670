namespace Course;

/// <summary>
/// One mini-batch: inputs x and targets y. Batches from a <see cref="DataLoader"/> or <see cref="TextBatches"/> belong
/// to the loader, which frees each when it produces the next one (and when the loop ends), so a training loop
/// never leaks them; <c>clone()</c> a tensor to keep it longer. Deconstructs: <c>foreach (var (x, y) in loader)</c>.
/// </summary>
public sealed class Batch : IDisposable
{
    public Batch(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        this.x = x.DetachFromDisposeScope();
        this.y = y.DetachFromDisposeScope();
    }

    public Tensor x { get; }
    public Tensor y { get; }

    /// <summary>Number of examples in the batch.</summary>
    public long Count => x.size(0);

    public void Deconstruct(out Tensor x, out Tensor y) => (x, y) = (this.x, this.y);

    public void Dispose()
    {
        x.Dispose();
        y.Dispose();
    }
}
