namespace Course.Serving;

/// <summary>The latencies of the last <c>capacity</c> requests (a ring), and their percentiles (nearest rank). Thread-safe.</summary>
public sealed class LatencyWindow(int capacity = 8192)
{
    private readonly double[] ring = capacity >= 1 ? new double[capacity] : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the window must hold at least 1 latency.");
    private long count;

    public void Add(TimeSpan latency)
    {
        lock (ring) ring[count++ % ring.Length] = latency.TotalMilliseconds;
    }

    /// <summary>The <paramref name="p"/>-th percentile in milliseconds (p in [0, 100]; the nearest-rank definition), NaN when empty.</summary>
    public double Percentile(double p) => Percentiles([p])[0];

    /// <summary>Several percentiles of one snapshot of the window.</summary>
    public double[] Percentiles(double[] ps)
    {
        double[] values;
        lock (ring) values = ring.AsSpan(0, (int)Math.Min(count, ring.Length)).ToArray();
        Array.Sort(values);
        return ps.Select(p =>
        {
            if (!(p >= 0 && p <= 100)) throw new ArgumentOutOfRangeException(nameof(ps), p, "a percentile lies in [0, 100].");
            if (values.Length == 0) return double.NaN;
            int rank = (int)Math.Ceiling(p * values.Length / 100);   // p·n first: 95 / 100 · 100 is not exactly 95
            return values[Math.Clamp(rank - 1, 0, values.Length - 1)];
        }).ToArray();
    }
}
