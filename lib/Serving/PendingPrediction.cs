using System.Diagnostics;

namespace Course.Serving;

/// <summary>
/// One accepted request on its way through the queue: its input, when it arrived, and the promise of its output. Exactly
/// one side claims it: the worker (<see cref="TryTake"/>, then it is computed) or the request (<see cref="TryAbandon"/>,
/// when it waited too long or the client went away; then it is never computed).
/// </summary>
internal sealed class PendingPrediction(float[] input)
{
    private const int Queued = 0, Taken = 1, Abandoned = 2;
    private int state = Queued;

    public float[] Input { get; } = input;
    public long ArrivedTicks { get; } = Stopwatch.GetTimestamp();
    public TimeSpan Age => Stopwatch.GetElapsedTime(ArrivedTicks);

    /// <summary>Completes with the output row (continuations never run on the worker thread).</summary>
    public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool TryTake() => Interlocked.CompareExchange(ref state, Taken, Queued) == Queued;
    public bool TryAbandon() => Interlocked.CompareExchange(ref state, Abandoned, Queued) == Queued;
}
