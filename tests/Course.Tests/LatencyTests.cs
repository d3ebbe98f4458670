using Course;

namespace Course.Tests;

/// <summary>Latency: warm-up runs are not timed; the median and quantiles follow numpy's linear interpolation.</summary>
public class LatencyTests
{
    [Fact]
    public void LatencyIsTheMedianOfTheTimedRuns()
    {
        int calls = 0;
        var report = Latency.Measure(() => { calls++; Thread.Sleep(calls % 2 == 0 ? 1 : 6); }, runs: 5, warmup: 2);
        Assert.Equal(7, calls);
        Assert.Equal(5, report.Milliseconds.Count);
        Assert.Equal(report.Milliseconds.OrderBy(t => t).ElementAt(2), report.MedianMilliseconds);
        Assert.Equal(2.5, new LatencyReport(new double[] { 4, 1, 3, 2 }).MedianMilliseconds);
        Assert.Equal(4.0, new LatencyReport(new double[] { 4, 1, 3, 2 }).Quantile(1));
        Assert.Equal(1.75, new LatencyReport(new double[] { 4, 1, 3, 2 }).Quantile(0.25));      // numpy: 1 + 0.75 · (2 − 1)
        Assert.Throws<ArgumentOutOfRangeException>(() => Latency.Measure(() => { }, runs: 0));
    }
}
