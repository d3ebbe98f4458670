using Course;

namespace Course.Tests;

public sealed class TensorChartsTests
{
    [Fact]
    public void ContourReadsRowsAsYAndColumnsAsX()
    {
        // f(x, y) = x + 10 y on x = 0, 1, 2 and y = 0, 1: rows are y, columns are x
        using var x = torch.tensor(new double[] { 0, 1, 2 });
        using var y = torch.tensor(new double[] { 0, 1 });
        using var z = torch.tensor(new double[] { 0, 1, 2, 10, 11, 12 }, [2, 3]);
        var fig = TensorCharts.Contour(z, x, y).ToFigure();
        var t = fig["data"]![0]!;
        Assert.Equal("contour", t["type"]!.GetValue<string>());
        Assert.Equal("[[0,1,2],[10,11,12]]", t["z"]!.ToJsonString());
        Assert.Equal("[0,1,2]", t["x"]!.ToJsonString());
        Assert.Equal("[0,1]", t["y"]!.ToJsonString());
        using var transposed = z.t();
        Assert.Throws<ArgumentException>(() => TensorCharts.Contour(transposed, x, y));
        using var flat = z.flatten();
        Assert.Throws<ArgumentException>(() => TensorCharts.Contour(flat, x, y));
    }
}
