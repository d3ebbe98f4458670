namespace Course.Serving;

/// <summary>
/// How the server batches and sheds load. <see cref="MaxBatch"/> = 1 turns dynamic batching off (every request is a
/// forward pass of its own, through the same queue and worker).
/// </summary>
public sealed record ServingOptions
{
    /// <summary>The most requests one forward pass takes.</summary>
    public int MaxBatch { get; init; } = 32;

    /// <summary>How long the worker waits, after the oldest request of a batch arrived, for more to fill the batch.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How many requests may wait in the queue; one more is answered 429 at once.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>How long a request may wait in the queue before it is answered 503 (it is then never computed).</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest request body in bytes; a larger one is answered 413.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;

    /// <summary>How long a graceful shutdown waits for accepted requests to finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws an ArgumentException naming the first setting out of range.</summary>
    public ServingOptions Validated()
    {
        if (MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "the largest batch must be at least 1.");
        if (MaxWait < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxWait), MaxWait, "the batching wait cannot be negative.");
        if (QueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "the queue must hold at least 1 request.");
        if (QueueTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(QueueTimeout), QueueTimeout, "the queue timeout must be positive.");
        if (MaxBodyBytes < 16) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, "the body limit must be at least 16 bytes.");
        if (ShutdownTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), ShutdownTimeout, "the shutdown timeout cannot be negative.");
        return this;
    }
}
