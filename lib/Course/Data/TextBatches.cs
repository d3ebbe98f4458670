namespace Course;

/// <summary>
/// Next-token batches from one long encoded text: x is a block of <c>blockSize</c> ids and y the same block shifted
/// by one, so y[b, t] is the token that follows x[b, 0..t]. Both are int64 [batch, blockSize] on <c>device</c>.
/// <code>
/// var batches = new TextBatches(tokenizer.Encode(corpus.TrainText), blockSize: 64, batchSize: 32, device: Env.Device);
/// foreach (var (x, y) in batches.Random(steps)) { ... }      // training: random windows
/// foreach (var (x, y) in validation.Sequential()) { ... }    // evaluation: every window once
/// </code>
/// Batches belong to the enumeration (see <see cref="Batch"/>). Dispose frees the text on the device.
/// </summary>
public sealed class TextBatches : IDisposable
{
    private readonly Tensor _tokens;
    private readonly SplitMix64 _random;

    public TextBatches(long[] tokens, int blockSize, int batchSize, int seed = 0, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "the block size must be at least 1.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be at least 1.");
        if (tokens.Length < blockSize + 1)
            throw new ArgumentException($"the text has {tokens.Length} tokens; a block of {blockSize} and its next token need at least {blockSize + 1}.", nameof(tokens));
        (BlockSize, BatchSize, Device) = (blockSize, batchSize, device ?? CPU);
        _tokens = torch.tensor(tokens, device: Device).DetachFromDisposeScope();
        _random = new SplitMix64(seed);
    }

    public int BlockSize { get; }
    public int BatchSize { get; }
    public Device Device { get; }
    /// <summary>Length of the text in tokens.</summary>
    public long Length => _tokens.size(0);
    /// <summary>Batches that <see cref="Sequential"/> yields.</summary>
    public int SequentialCount => (int)((WindowCount + BatchSize - 1) / BatchSize);
    private long WindowCount => (Length - 1) / BlockSize;

    /// <summary><paramref name="count"/> batches of windows starting at random positions (drawn from the seed with <see cref="SplitMix64"/>).</summary>
    public IEnumerable<Batch> Random(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "the number of batches cannot be negative.");
        return Enumerate(count, _ =>
        {
            var starts = new long[BatchSize];
            for (int i = 0; i < starts.Length; i++) starts[i] = _random.NextInt64(Length - BlockSize);
            return Windows(starts);
        });
    }

    /// <summary>Every non-overlapping window once, in text order (the last batch may be smaller): for validation loss.</summary>
    public IEnumerable<Batch> Sequential() => Enumerate(SequentialCount, b =>
    {
        long first = (long)b * BatchSize, n = Math.Min(BatchSize, WindowCount - first);
        return Windows(Enumerable.Range(0, (int)n).Select(i => (first + i) * BlockSize).ToArray());
    });

    // x[b, t] = tokens[start_b + t], y[b, t] = tokens[start_b + t + 1], gathered in one index_select each
    private Batch Windows(long[] starts)
    {
        var positions = new long[starts.Length * BlockSize];
        for (int b = 0; b < starts.Length; b++)
            for (int t = 0; t < BlockSize; t++) positions[b * BlockSize + t] = starts[b] + t;
        using var scope = torch.NewDisposeScope();
        var flat = torch.tensor(positions, device: Device);
        var x = _tokens.index_select(0, flat).view(starts.Length, BlockSize);
        var y = _tokens.index_select(0, flat + 1L).view(starts.Length, BlockSize);
        return new Batch(x, y);
    }

    private static IEnumerable<Batch> Enumerate(int count, Func<int, Batch> make)
    {
        Batch? current = null;
        try
        {
            for (int b = 0; b < count; b++)
            {
                current?.Dispose();
                current = null;
                current = make(b);
                yield return current;
            }
        }
        finally { current?.Dispose(); }
    }

    public void Dispose() => _tokens.Dispose();

    public override string ToString() => $"TextBatches({Length:N0} tokens, block {BlockSize}, batch {BatchSize}, on {Device})";
}
