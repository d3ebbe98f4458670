using Course;

namespace Course.Tests;

public sealed class EdgeSketchTests
{
    /// <summary>The definition, pixel by pixel: Sobel gx and gy with zeros beyond the border, √(gx² + gy²), divided by the image's maximum.</summary>
    private static double[] Direct(double[] x, int b, int c, int h, int w)
    {
        double At(int n, int ch, int r, int col) =>
            r < 0 || r >= h || col < 0 || col >= w ? 0 : x[((n * c + ch) * h + r) * w + col];
        var magnitude = new double[x.Length];
        for (int n = 0; n < b; n++)
        {
            double strongest = 0;
            for (int ch = 0; ch < c; ch++)
                for (int r = 0; r < h; r++)
                    for (int col = 0; col < w; col++)
                    {
                        double gx = 0, gy = 0;
                        for (int k = -1; k <= 1; k++)
                        {
                            double weight = k == 0 ? 2 : 1;
                            gx += weight * (At(n, ch, r + k, col + 1) - At(n, ch, r + k, col - 1));
                            gy += weight * (At(n, ch, r + 1, col + k) - At(n, ch, r - 1, col + k));
                        }
                        double m = Math.Sqrt(gx * gx + gy * gy);
                        magnitude[((n * c + ch) * h + r) * w + col] = m;
                        strongest = Math.Max(strongest, m);
                    }
            for (int i = n * c * h * w; i < (n + 1) * c * h * w; i++) magnitude[i] /= strongest;
        }
        return magnitude;
    }

    [Fact]
    public void EqualsTheDefinitionPixelByPixel()
    {
        using var scope = NewDisposeScope();
        const int b = 3, c = 2, h = 6, w = 7;
        manual_seed(4);
        var x = torch.rand([b, c, h, w], dtype: float64);
        var expected = Direct(x.ToArray<double>(), b, c, h, w);
        var actual = EdgeSketch.Apply(x).ToArray<double>();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    [Fact]
    public void AStepEdgeByHand()
    {
        using var scope = NewDisposeScope();
        // columns 0-1 dark, 2-3 bright: inside, a pixel next to the step has gx = 1 + 2 + 1 = 4 and gy = 0; the
        // strongest edge is at the top (and bottom) of the bright half, where the zero border adds gy = 3 to gx = 3: √18
        var x = tensor(new float[] { 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1 }, new long[] { 1, 1, 4, 4 });
        var s = EdgeSketch.Apply(x);
        Assert.Equal(4 / Math.Sqrt(18), s[0, 0, 1, 1].item<float>(), 1e-6);
        Assert.Equal(4 / Math.Sqrt(18), s[0, 0, 2, 2].item<float>(), 1e-6);
        Assert.Equal(0, s[0, 0, 1, 0].item<float>(), 1e-7);                  // flat inside the dark half
        Assert.Equal(1, s[0, 0, 0, 2].item<float>(), 1e-6);
        Assert.Equal(1, s.max().item<float>(), 1e-6);
    }

    [Fact]
    public void ScaleFreeAndAnEmptyImageStaysEmpty()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var x = torch.rand([2, 1, 5, 5], dtype: float64);
        Assert.True(EdgeSketch.Apply(x * 3).allclose(EdgeSketch.Apply(x), 1e-12, 1e-12), "brightening an image changed its sketch");
        var empty = EdgeSketch.Apply(torch.zeros([1, 1, 5, 5]));
        Assert.Equal(0, empty.abs().max().item<float>());
    }

    [Fact]
    public void RefusesWhatIsNotABatchOfFloatImages()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("[B, C, H, W]", Assert.Throws<ArgumentException>(() => EdgeSketch.Apply(torch.zeros([5, 5]))).Message);
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => EdgeSketch.Apply(torch.zeros([1, 1, 5, 5], dtype: int64))).Message);
    }
}
