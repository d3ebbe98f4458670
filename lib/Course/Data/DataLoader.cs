using System.Collections;

namespace Course;

/// <summary>
/// Mini-batches over a <see cref="TensorDataset"/>: each <c>foreach</c> is one epoch. With <c>shuffle</c> every epoch
/// has its own order, drawn from <c>seed</c> (with <see cref="SplitMix64"/>), so runs repeat exactly on any .NET version. Batches are moved to <c>device</c> and then
/// passed through <c>transform</c> (augmentation, normalisation) there.
/// <code>
/// var loader = new DataLoader(data.Train, batchSize: 128, shuffle: true, device: Env.Device,
///                             transform: x => data.Normalize(x));
/// foreach (var (x, y) in loader) { ... }   // the loader frees each batch when it makes the next
/// </code>
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly TensorDataset _data;
    private readonly SplitMix64 _random;

    public DataLoader(TensorDataset data, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false,
                      Device? device = null, Func<Tensor, Tensor>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be at least 1.");
        if (data.Count == 0) throw new ArgumentException("the dataset is empty.", nameof(data));
        if (dropLast && data.Count < batchSize)
            throw new ArgumentException($"the dataset holds {data.Count} examples, fewer than one batch of {batchSize}, and dropLast would leave no batch.", nameof(dropLast));
        _data = data;
        _random = new SplitMix64(seed);
        (BatchSize, Shuffle, DropLast, Device, Transform) = (batchSize, shuffle, dropLast, device, transform);
    }

    public int BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }
    /// <summary>Where batches go (null: where the dataset is).</summary>
    public Device? Device { get; }
    /// <summary>Applied to each batch's inputs on the device (null: none).</summary>
    public Func<Tensor, Tensor>? Transform { get; }
    /// <summary>Epochs started so far.</summary>
    public int Epoch { get; private set; }

    /// <summary>Batches per epoch.</summary>
    public int Count => (int)(DropLast ? _data.Count / BatchSize : (_data.Count + BatchSize - 1) / BatchSize);

    /// <summary>Examples per epoch (fewer than the dataset's when dropLast drops a partial batch).</summary>
    public long Examples => DropLast ? (long)Count * BatchSize : _data.Count;

    public IEnumerator<Batch> GetEnumerator()
    {
        Epoch++;
        long n = _data.Count;
        long[] order = Shuffle ? Course.Shuffle.Permutation(n, _random) : Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
        Batch? current = null;
        var index = torch.tensor(order, device: _data.Inputs.device).DetachFromDisposeScope();
        try
        {
            for (int b = 0; b < Count; b++)
            {
                current?.Dispose();
                current = null;
                long start = (long)b * BatchSize;
                current = Make(index, start, Math.Min(BatchSize, n - start));
                yield return current;
            }
        }
        finally
        {
            current?.Dispose();
            index.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Batch Make(Tensor index, long start, long length)
    {
        using var scope = torch.NewDisposeScope();
        var rows = index.narrow(0, start, length);
        var x = _data.Inputs.index_select(0, rows);
        var y = _data.Targets.index_select(0, rows);
        if (Device is { } device && x.device != device)
        {
            x = x.to(device);
            y = y.to(device);
        }
        if (Transform is not null) x = Transform(x);
        return new Batch(x, y); // the batch takes x and y out of the scope; the rest is freed here
    }
}
