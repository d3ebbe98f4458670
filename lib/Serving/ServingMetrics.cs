using System.Text.Json;

namespace Course.Serving;

/// <summary>
/// The server's counters: requests by outcome, batches and their sizes, latency percentiles of the answered predictions
/// (arrival to answer, the last 8,192), and the process's resident memory. Thread-safe; <see cref="WriteJson"/> is what
/// GET /metrics answers.
/// </summary>
public sealed class ServingMetrics(int maxBatch)
{
    private long requests, answered, rejectedQueueFull, timedOut, badRequests, failed, batches, batchedRequests;
    private readonly long[] batchSizes = new long[maxBatch + 1];

    public LatencyWindow Latency { get; } = new();

    public long Requests => Interlocked.Read(ref requests);
    public long Answered => Interlocked.Read(ref answered);
    public long RejectedQueueFull => Interlocked.Read(ref rejectedQueueFull);
    public long TimedOut => Interlocked.Read(ref timedOut);
    public long BadRequests => Interlocked.Read(ref badRequests);
    public long Failed => Interlocked.Read(ref failed);
    public long Batches => Interlocked.Read(ref batches);
    public double MeanBatchSize => Batches == 0 ? 0 : (double)Interlocked.Read(ref batchedRequests) / Batches;

    /// <summary>How many batches of each size ran (index = size).</summary>
    public long[] BatchSizes() => Enumerable.Range(0, batchSizes.Length).Select(i => Interlocked.Read(ref batchSizes[i])).ToArray();

    internal void Request() => Interlocked.Increment(ref requests);
    internal void Answer(TimeSpan latency) { Interlocked.Increment(ref answered); Latency.Add(latency); }
    internal void QueueFull() => Interlocked.Increment(ref rejectedQueueFull);
    internal void TimeOut() => Interlocked.Increment(ref timedOut);
    internal void BadRequest() => Interlocked.Increment(ref badRequests);
    internal void Failure() => Interlocked.Increment(ref failed);

    internal void Batch(int size)
    {
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref batchedRequests, size);
        Interlocked.Increment(ref batchSizes[Math.Min(size, batchSizes.Length - 1)]);
    }

    /// <summary>The counters as one JSON object (with the queue's length and the model's state, which the batcher knows).</summary>
    public void WriteJson(Utf8JsonWriter w, DynamicBatcher batcher)
    {
        var p = Latency.Percentiles([50, 95, 99]);
        w.WriteStartObject();
        w.WriteString("model", batcher.BackendName);
        w.WriteString("state", batcher.State.ToString().ToLowerInvariant());
        w.WriteNumber("requests", Requests);
        w.WriteNumber("answered", Answered);
        w.WriteNumber("rejected_queue_full", RejectedQueueFull);
        w.WriteNumber("timed_out", TimedOut);
        w.WriteNumber("bad_requests", BadRequests);
        w.WriteNumber("failed", Failed);
        w.WriteNumber("batches", Batches);
        w.WriteNumber("mean_batch_size", Math.Round(MeanBatchSize, 3));
        w.WriteStartObject("batch_sizes");
        var sizes = BatchSizes();
        for (int s = 1; s < sizes.Length; s++) if (sizes[s] > 0) w.WriteNumber(s.ToString(), sizes[s]);
        w.WriteEndObject();
        w.WriteNumber("queue_length", batcher.QueueLength);
        w.WriteNumber("queue_capacity", batcher.Options.QueueCapacity);
        w.WriteNumber("max_batch", batcher.Options.MaxBatch);
        w.WriteNumber("max_wait_ms", batcher.Options.MaxWait.TotalMilliseconds);
        WriteNumberOrNull(w, "latency_p50_ms", p[0]);
        WriteNumberOrNull(w, "latency_p95_ms", p[1]);
        WriteNumberOrNull(w, "latency_p99_ms", p[2]);
        WriteNumberOrNull(w, "model_load_seconds", batcher.LoadSeconds);
        WriteNumberOrNull(w, "ready_after_start_seconds", batcher.ReadyAfterStartSeconds);
        w.WriteNumber("resident_bytes_before_model", batcher.ResidentBytesBeforeLoad);
        w.WriteNumber("resident_bytes", Environment.WorkingSet);
        w.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, Math.Round(v, 4));
        else w.WriteNull(name);
    }
}
