using System.Collections.Concurrent;
using Course.Serving;

namespace Serving.Tests;

/// <summary>
/// A backend whose answers and timing are known: each output row is <see cref="Answer"/> of its input (by default the
/// input's first three values), each batch takes <see cref="Delay"/>, and every batch's size and thread are recorded.
/// </summary>
internal sealed class FakeBackend(TimeSpan delay = default, int[]? shape = null) : IModelBackend
{
    public string Name => "fake";
    public int[] InputShape { get; } = shape ?? [1, 28, 28];
    public IReadOnlyList<string>? ClassNames => ["a", "b", "c"];
    public TimeSpan Delay { get; set; } = delay;
    public Func<float[], float[]> Answer { get; set; } = x => [x[0], x[1], x[2]];
    /// <summary>When set, the next batch waits for it before it is computed.</summary>
    public ManualResetEventSlim? Gate { get; set; }
    public ConcurrentQueue<int> BatchSizes { get; } = new();
    public ConcurrentBag<int> Threads { get; } = new();
    public int Computed => BatchSizes.Sum();
    public bool Disposed { get; private set; }

    public float[][] Predict(float[][] batch)
    {
        var gate = Gate;   // read before the batch is recorded: a test that sees it recorded may change Gate
        Threads.Add(Environment.CurrentManagedThreadId);
        BatchSizes.Enqueue(batch.Length);
        gate?.Wait(TimeSpan.FromSeconds(30));
        if (Delay > TimeSpan.Zero) Thread.Sleep(Delay);
        return batch.Select(Answer).ToArray();
    }

    public void Dispose() => Disposed = true;
}
