using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Course.Serving;

/// <summary>Where the model is: loading on the worker thread, ready, failed to load, or stopped.</summary>
public enum BackendState { Loading, Ready, Failed, Stopped }

/// <summary>How an accepted or refused request ended.</summary>
public enum PredictionOutcome { Answered, QueueFull, NotReady, TimedOut, Cancelled, Failed }

/// <summary>The answer to one request: its output row when <see cref="Outcome"/> is Answered, else why not.</summary>
public readonly record struct Prediction(PredictionOutcome Outcome, float[]? Output = null, string? Error = null);

/// <summary>
/// Dynamic batching: requests wait in a bounded queue (a <see cref="Channel{T}"/>); one worker thread, which loads and
/// owns the model, takes the oldest request, then up to <see cref="ServingOptions.MaxBatch"/> − 1 more that arrive until
/// <see cref="ServingOptions.MaxWait"/> after the oldest one arrived, and runs them as one forward pass.
/// Load is shed, never queued forever: a full queue refuses at once (<see cref="PredictionOutcome.QueueFull"/>, HTTP 429)
/// and a request that waited longer than <see cref="ServingOptions.QueueTimeout"/> is dropped uncomputed
/// (<see cref="PredictionOutcome.TimedOut"/>, HTTP 503). <see cref="DisposeAsync"/> closes the queue and waits until
/// every accepted request is answered (graceful shutdown).
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly Channel<PendingPrediction> queue;
    private readonly Func<IModelBackend> load;
    private readonly ILogger? log;
    private readonly Thread worker;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile BackendState state = BackendState.Loading;
    private volatile IModelBackend? backend;
    private int inputSize = -1;
    private long accepted;
    private bool closing;

    /// <param name="load">Creates the model; called once, on the worker thread, which then owns it (and disposes it).</param>
    public DynamicBatcher(Func<IModelBackend> load, ServingOptions options, ServingMetrics? metrics = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(load);
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        Metrics = metrics ?? new ServingMetrics(Options.MaxBatch);
        (this.load, this.log) = (load, log);
        queue = Channel.CreateBounded<PendingPrediction>(new BoundedChannelOptions(Options.QueueCapacity)
        {
            // not SingleReader: the worker may leave a timed-out WaitToReadAsync pending while it starts the next one
            SingleReader = false, FullMode = BoundedChannelFullMode.Wait,
        });
        worker = new Thread(Run) { Name = "model worker", IsBackground = true };
        worker.Start();
    }

    public ServingOptions Options { get; }
    public ServingMetrics Metrics { get; }
    public BackendState State => state;
    /// <summary>Why the model did not load (when <see cref="State"/> is Failed).</summary>
    public string? LoadError { get; private set; }
    public string BackendName => backend?.Name ?? (state == BackendState.Failed ? "(failed to load)" : "(loading)");
    /// <summary>The shape of one example (null until the model is loaded).</summary>
    public int[]? InputShape => backend?.InputShape;
    public IReadOnlyList<string>? ClassNames => backend?.ClassNames;
    public int InputSize => Volatile.Read(ref inputSize);
    /// <summary>Why requests are refused now (loading, failed to load, stopped).</summary>
    public string NotReadyReason => state switch
    {
        BackendState.Loading => "the model is still loading; try again shortly.",
        BackendState.Failed => $"the model failed to load: {LoadError}",
        BackendState.Stopped => "the server is shutting down.",
        _ => "the model is ready.",
    };
    public int QueueLength => queue.Reader.Count;

    /// <summary>Whether the queue has no room now: the server refuses such a request before it reads and parses its body.</summary>
    public bool QueueIsFull => queue.Reader.Count >= Options.QueueCapacity;

    /// <summary>What a refused request is told (HTTP 429).</summary>
    public string QueueFullMessage => $"the queue is full ({Options.QueueCapacity} requests waiting); try again shortly.";
    /// <summary>Requests the queue took in so far.</summary>
    public long Accepted => Interlocked.Read(ref accepted);
    /// <summary>Seconds the model took to load (null until loaded).</summary>
    public double? LoadSeconds { get; private set; }
    /// <summary>Seconds from the process's start until the model was ready (the cold start; null until loaded).</summary>
    public double? ReadyAfterStartSeconds { get; private set; }
    /// <summary>The process's resident memory just before the model was loaded.</summary>
    public long ResidentBytesBeforeLoad { get; private set; }
    /// <summary>Completes when the model is loaded (or failed to load).</summary>
    public Task Loaded => loaded.Task;
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Queues <paramref name="input"/> (one example, <see cref="InputSize"/> values, already checked by the caller) and
    /// waits for its output, for at most <see cref="ServingOptions.QueueTimeout"/> in the queue.
    /// </summary>
    public async Task<Prediction> PredictAsync(float[] input, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (state != BackendState.Ready) return new(PredictionOutcome.NotReady, Error: NotReadyReason);
        if (input.Length != InputSize) throw new ArgumentException($"one example holds {InputSize} values, not {input.Length}.", nameof(input));
        var pending = new PendingPrediction(input);
        if (!queue.Writer.TryWrite(pending))
        {
            if (Volatile.Read(ref closing)) return new(PredictionOutcome.NotReady, Error: "the server is shutting down.");
            Metrics.QueueFull();
            return new(PredictionOutcome.QueueFull, Error: QueueFullMessage);
        }
        Interlocked.Increment(ref accepted);
        try
        {
            var left = Options.QueueTimeout - pending.Age;
            var output = await pending.Result.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancel).ConfigureAwait(false);
            Metrics.Answer(pending.Age);
            return new(PredictionOutcome.Answered, output);
        }
        catch (TimeoutException) when (pending.TryAbandon())
        {
            Metrics.TimeOut();
            return new(PredictionOutcome.TimedOut, Error: $"the request waited {Options.QueueTimeout.TotalMilliseconds:F0} ms in the queue without reaching the model; the server is overloaded, try again shortly.");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && pending.TryAbandon())
        {
            return new(PredictionOutcome.Cancelled, Error: "the client went away.");
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // the worker took it first: it is being computed now, so its answer is moments away
            return await Finish(pending).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Metrics.Failure();
            return new(PredictionOutcome.Failed, Error: e.Message);
        }
    }

    private async Task<Prediction> Finish(PendingPrediction pending)
    {
        try
        {
            var output = await pending.Result.Task.ConfigureAwait(false);
            Metrics.Answer(pending.Age);
            return new(PredictionOutcome.Answered, output);
        }
        catch (Exception e)
        {
            Metrics.Failure();
            return new(PredictionOutcome.Failed, Error: e.Message);
        }
    }

    private void Run()
    {
        if (!Load()) { Drain(); return; }
        var batch = new List<PendingPrediction>(Options.MaxBatch);
        var reader = queue.Reader;
        try
        {
            while (true)
            {
                // the oldest request (blocks until one comes, or the queue is closed and empty)
                if (!reader.TryRead(out var first))
                {
                    if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
                    continue;
                }
                if (!first.TryTake()) continue;   // its request gave up waiting
                batch.Add(first);
                // more, until the batch is full or MaxWait after the oldest one arrived
                while (batch.Count < Options.MaxBatch)
                {
                    if (reader.TryRead(out var next)) { if (next.TryTake()) batch.Add(next); continue; }
                    var left = Options.MaxWait - first.Age;
                    if (left <= TimeSpan.Zero) break;
                    var more = reader.WaitToReadAsync().AsTask();
                    if (!more.Wait(left) || !more.Result) break;
                }
                RunBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            backend?.Dispose();
            state = BackendState.Stopped;
            stopped.TrySetResult();
        }
    }

    private bool Load()
    {
        try
        {
            ResidentBytesBeforeLoad = Environment.WorkingSet;
            var clock = Stopwatch.StartNew();
            var b = load();
            int size = b.InputSize();
            LoadSeconds = clock.Elapsed.TotalSeconds;
            ReadyAfterStartSeconds = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
            backend = b;
            Volatile.Write(ref inputSize, size);
            state = BackendState.Ready;
            log?.LogInformation("model ready: {Name}, input {Shape}, loaded in {Seconds:F2} s ({Start:F2} s after the process started)",
                b.Name, b.ShapeText(), LoadSeconds, ReadyAfterStartSeconds);
            return true;
        }
        catch (Exception e)
        {
            LoadError = e.Message;
            state = BackendState.Failed;
            log?.LogError(e, "the model failed to load");
            return false;
        }
        finally { loaded.TrySetResult(); }
    }

    // no model: nothing is ever queued (PredictAsync refuses first), but close cleanly
    private void Drain()
    {
        while (queue.Reader.TryRead(out var p)) if (p.TryTake()) p.Result.TrySetException(new InvalidOperationException(LoadError ?? "no model."));
        stopped.TrySetResult();
    }

    private void RunBatch(List<PendingPrediction> batch)
    {
        Metrics.Batch(batch.Count);
        try
        {
            var outputs = backend!.Predict(batch.Select(p => p.Input).ToArray());
            if (outputs.Length != batch.Count) throw new InvalidOperationException($"the backend answered {outputs.Length} rows for a batch of {batch.Count}.");
            for (int i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(outputs[i]);
        }
        catch (Exception e)
        {
            log?.LogError(e, "a batch of {Count} failed", batch.Count);
            foreach (var p in batch) p.Result.TrySetException(e);
        }
    }

    /// <summary>
    /// Graceful stop: refuses new requests, lets the worker answer every accepted one, then disposes the model.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref closing, true);
        queue.Writer.TryComplete();
        await stopped.Task.ConfigureAwait(false);
    }
}
