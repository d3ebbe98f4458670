namespace Course;

/// <summary>
/// Draws box outlines into an image, for showing detections with <c>TensorCharts.ImageGrid</c>: a grey image
/// [1, H, W] or [H, W] in [0, 1] becomes an RGB image [3, H, W] with each box's edges painted one pixel wide in its
/// colour. A box (x1, y1, x2, y2) covers the pixels x1 ≤ x &lt; x2, so its outline runs along columns ⌊x1⌋ and ⌈x2⌉ − 1
/// (clipped to the image).
/// </summary>
public static class BoxOverlay
{
    /// <summary>Colours for classes or kinds of boxes, (r, g, b) in [0, 1].</summary>
    public static IReadOnlyList<(float R, float G, float B)> Palette { get; } =
    [
        (0.12f, 0.47f, 0.71f), (1.0f, 0.5f, 0.05f), (0.17f, 0.63f, 0.17f), (0.84f, 0.15f, 0.16f), (0.58f, 0.4f, 0.74f),
        (0.55f, 0.34f, 0.29f), (0.89f, 0.47f, 0.76f), (0.5f, 0.5f, 0.5f), (0.74f, 0.74f, 0.13f), (0.09f, 0.75f, 0.81f),
    ];

    public static Tensor Draw(Tensor image, IEnumerable<(Box Box, (float R, float G, float B) Color)> boxes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(boxes);
        if (!(image.dim() == 2 || (image.dim() == 3 && image.size(0) == 1)))
            throw new ArgumentException($"a grey image [1, H, W] or [H, W] is needed, not [{string.Join(", ", image.shape)}].", nameof(image));
        int h = (int)image.size(-2), w = (int)image.size(-1);
        using var grey = image.detach().cpu().to(float32).contiguous();
        var g = grey.data<float>().ToArray();
        var rgb = new float[3 * h * w];
        for (int c = 0; c < 3; c++) Array.Copy(g, 0, rgb, c * h * w, h * w);
        foreach (var (box, color) in boxes)
        {
            int x0 = Math.Clamp((int)Math.Floor(box.X1), 0, w - 1), x1 = Math.Clamp((int)Math.Ceiling(box.X2) - 1, 0, w - 1);
            int y0 = Math.Clamp((int)Math.Floor(box.Y1), 0, h - 1), y1 = Math.Clamp((int)Math.Ceiling(box.Y2) - 1, 0, h - 1);
            if (x1 < x0 || y1 < y0) continue;
            void Paint(int x, int y) { rgb[y * w + x] = color.R; rgb[h * w + y * w + x] = color.G; rgb[2 * h * w + y * w + x] = color.B; }
            for (int x = x0; x <= x1; x++) { Paint(x, y0); Paint(x, y1); }
            for (int y = y0; y <= y1; y++) { Paint(x0, y); Paint(x1, y); }
        }
        return tensor(rgb, new long[] { 3, h, w });
    }
}
