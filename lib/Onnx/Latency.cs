using System.Diagnostics;

namespace Course.Onnx;

/// <summary>Wall-clock latency of one call: a few warm-up calls, then the median (and spread) of timed ones.</summary>
public sealed record Latency(double MedianMs, double MinMs, double P90Ms, int Runs)
{
    /// <summary>Times <paramref name="call"/> <paramref name="runs"/> times after <paramref name="warmup"/> untimed calls.</summary>
    public static Latency Measure(Action call, int runs = 50, int warmup = 5)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), runs, "time at least one run.");
        if (warmup < 0) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "the warm-up count cannot be negative.");
        for (int i = 0; i < warmup; i++) call();
        var ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        return new Latency(median, ms[0], ms[(int)Math.Ceiling(0.9 * runs) - 1], runs);
    }

    public override string ToString() => $"median {MedianMs:F3} ms (min {MinMs:F3}, p90 {P90Ms:F3}; {Runs} runs)";
}
