using System.Diagnostics;

namespace Course;

/// <summary>Timings of repeated runs of one piece of work, in milliseconds.</summary>
public sealed record LatencyReport(IReadOnlyList<double> Milliseconds)
{
    /// <summary>The median run: robust to the odd run slowed by the machine's other work.</summary>
    public double MedianMilliseconds => Quantile(0.5);

    /// <summary>The q-quantile of the runs (linear interpolation between order statistics, as numpy's default).</summary>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile is in [0, 1]");
        var sorted = Milliseconds.OrderBy(t => t).ToArray();
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>Latency: how long one forward pass takes, measured as the median of timed runs after a warm-up.</summary>
public static class Latency
{
    /// <summary>
    /// Runs <paramref name="run"/> <paramref name="warmup"/> times untimed (first calls pay for allocation and kernel
    /// selection), then <paramref name="runs"/> times timed, one by one. On a GPU, <paramref name="run"/> must wait for its
    /// result (read it back), or only the launch is timed.
    /// </summary>
    public static LatencyReport Measure(Action run, int runs = 20, int warmup = 3)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), runs, "time at least one run");
        if (warmup < 0) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "warm-up runs cannot be negative");
        for (int i = 0; i < warmup; i++) run();
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return new LatencyReport(times);
    }
}
