namespace Course;

/// <summary>
/// Line drawings of images: the Sobel gradient magnitude of each channel, √(gx² + gy²), with zeros beyond the border,
/// scaled so that each image's strongest edge is 1. A garment keeps its outline and loses its fill and texture: a
/// shifted domain for a model trained on the photographs (as ImageNet-Sketch is for ImageNet models).
/// gx correlates each pixel's 3×3 neighbourhood with [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], gy with its transpose.
/// </summary>
public static class EdgeSketch
{
    /// <summary>The sketches of a batch [B, C, H, W] of floating-point images, on its device and in its dtype.</summary>
    public static Tensor Apply(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"EdgeSketch takes a batch of images [B, C, H, W], not shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (!images.is_floating_point())
            throw new ArgumentException($"EdgeSketch takes floating-point images, not {images.dtype}.", nameof(images));
        using var scope = torch.NewDisposeScope();
        long b = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
        var sobelX = torch.tensor(new double[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, new long[] { 1, 1, 3, 3 }, images.dtype, images.device);
        var sobelY = sobelX.transpose(2, 3);
        var planes = images.reshape(b * c, 1, h, w);                   // every channel on its own
        using var padded = F.pad(planes, [1, 1, 1, 1]);
        var gx = F.conv2d(padded, sobelX);
        var gy = F.conv2d(padded, sobelY);
        var magnitude = (gx * gx + gy * gy).sqrt().reshape(b, c, h, w);
        var strongest = magnitude.flatten(1).max(1).values.reshape(b, 1, 1, 1);
        // an all-zero image has no edges and stays all zero (a constant bright one has them at the border)
        var sketch = magnitude / strongest.clamp(min: 1e-12);
        return sketch.MoveToOuterDisposeScope();
    }
}
