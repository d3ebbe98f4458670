using Course.Display;

namespace Course;

/// <summary>Charts straight from tensors: image grids, heatmaps and lines.</summary>
public static class TensorCharts
{
    /// <summary>A grid of images from a tensor shaped [H, W], [N, H, W] or [N, C, H, W] (C = 1 or 3), values in [0, 1] or [0, 255].</summary>
    public static Chart ImageGrid(Tensor images, int columns = 8, IEnumerable<string>? titles = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var (values, shape) = Flat(images);
        return Chart.ImageGrid(values, shape, columns, titles);
    }

    /// <summary>A heatmap of a 2-D tensor (for example a confusion matrix or attention weights).</summary>
    public static Chart Heatmap(Tensor matrix, IEnumerable<string>? xLabels = null, IEnumerable<string>? yLabels = null, bool showValues = false)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2) throw new ArgumentException($"a heatmap needs a 2-D tensor, not shape [{string.Join(", ", matrix.shape)}].", nameof(matrix));
        var (values, shape) = Flat(matrix);
        return Chart.Heatmap(values, (int)shape[0], (int)shape[1], xLabels, yLabels, showValues);
    }

    /// <summary>
    /// Contour lines of a surface sampled on a grid: <paramref name="z"/> is [len(y), len(x)] with z[i, j] = f(x[j], y[i])
    /// (what <c>f(X, Y)</c> gives for <c>torch.meshgrid([y, x], "ij")</c> read as Y, X); numeric axes, y upwards.
    /// </summary>
    public static Chart Contour(Tensor z, Tensor x, Tensor y, int levels = 20)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() != 1 || y.dim() != 1) throw new ArgumentException($"x and y must be 1-D, not shapes [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
        if (z.dim() != 2 || z.size(0) != y.size(0) || z.size(1) != x.size(0))
            throw new ArgumentException($"z must be [len(y), len(x)] = [{y.size(0)}, {x.size(0)}], not [{string.Join(", ", z.shape)}].", nameof(z));
        return Chart.Contour(Flat(z).Values, Flat(x).Values, Flat(y).Values, levels);
    }

    /// <summary>A line through the values of a 1-D tensor.</summary>
    public static Chart Line(Tensor values, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.dim() != 1) throw new ArgumentException($"a line needs a 1-D tensor, not shape [{string.Join(", ", values.shape)}].", nameof(values));
        return Chart.Line(Flat(values).Values, name);
    }

    private static (float[] Values, long[] Shape) Flat(Tensor t)
    {
        using var detached = t.detach();
        using var onCpu = detached.cpu();
        using var asFloat = onCpu.to(ScalarType.Float32);
        using var plain = asFloat.contiguous();
        return (plain.data<float>().ToArray(), plain.shape);
    }
}
