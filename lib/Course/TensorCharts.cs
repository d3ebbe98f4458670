using Course.Display;
using Torch;

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
        return (plain.ToArray<float>(), plain.shape);
    }
}
