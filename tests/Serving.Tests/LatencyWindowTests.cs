using Course.Serving;

namespace Serving.Tests;

public sealed class LatencyWindowTests
{
    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        // hand-worked: for 1..100 ms the p-th percentile (nearest rank) is p ms; for 1..10, p95 is the 10th value
        var w = new LatencyWindow();
        foreach (var ms in Enumerable.Range(1, 100).Reverse()) w.Add(TimeSpan.FromMilliseconds(ms));
        Assert.Equal(new double[] { 1, 50, 95, 99, 100 }, w.Percentiles([0, 50, 95, 99, 100]));
        var small = new LatencyWindow();
        foreach (var ms in Enumerable.Range(1, 10)) small.Add(TimeSpan.FromMilliseconds(ms));
        Assert.Equal(new double[] { 5, 10, 10 }, small.Percentiles([50, 95, 99]));
        Assert.True(double.IsNaN(new LatencyWindow().Percentile(50)));
    }

    [Fact]
    public void The_window_keeps_the_last_values()
    {
        var w = new LatencyWindow(capacity: 4);
        foreach (var ms in new[] { 100, 100, 100, 1, 2, 3, 4 }) w.Add(TimeSpan.FromMilliseconds(ms));
        Assert.Equal(4, w.Percentile(100));
    }
}
