namespace Course;

/// <summary>
/// The random "views" of SimCLR for a batch of images [B, C, H, W] with pixels in [0, 1]: a random resized crop, a
/// horizontal flip, brightness and contrast jitter and a Gaussian blur, each drawn per image and computed for the whole
/// batch at once with tensor operations. Randomness comes from libtorch's generator (<c>torch.manual_seed</c>).
/// <para>
/// The crop and the blur are both linear maps of each image's rows and columns, so both are written as matrices:
/// an output image is <c>M_rows · image · M_colsᵀ</c>, with one pair of small matrices per image. For the crop, row i
/// of <c>M_rows</c> holds the bilinear ("tent") weights max(0, 1 − |y_i − j|) of the source row coordinate y_i that
/// output row i reads; for the blur it holds normalised Gaussian weights exp(−(i − j)² / 2σ²).
/// </para>
/// </summary>
public sealed class ContrastiveViews
{
    /// <summary>Fraction of the image's area a crop covers, drawn uniformly in this range.</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.25, 1.0);
    /// <summary>Aspect ratio (width / height) of a crop, drawn log-uniformly in this range.</summary>
    public (double Min, double Max) CropRatio { get; init; } = (3.0 / 4, 4.0 / 3);
    public double FlipProbability { get; init; } = 0.5;
    /// <summary>Brightness factor drawn in [1 − b, 1 + b].</summary>
    public double Brightness { get; init; } = 0.4;
    /// <summary>Contrast factor drawn in [1 − c, 1 + c].</summary>
    public double Contrast { get; init; } = 0.4;
    public double BlurProbability { get; init; } = 0.5;
    /// <summary>Blur width σ in pixels, drawn uniformly in this range.</summary>
    public (double Min, double Max) BlurSigma { get; init; } = (0.1, 1.0);

    /// <summary>One random view of each image: crop and resize, flip, jitter, blur (pixels stay in [0, 1]).</summary>
    public Tensor View(Tensor images)
    {
        CheckImages(images);
        using var scope = torch.NewDisposeScope();
        var x = RandomResizedCrop(images, CropScale, CropRatio);
        x = Augment.RandomHorizontalFlip(x, FlipProbability);
        x = ColorJitter(x, Brightness, Contrast);
        x = RandomGaussianBlur(x, BlurProbability, BlurSigma);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Two independent views of each image: the positive pairs of the contrastive loss.</summary>
    public (Tensor First, Tensor Second) Pair(Tensor images) => (View(images), View(images));

    // ---- random resized crop ------------------------------------------------------------------------------

    /// <summary>
    /// Crops box b = (top, left, height, width) (pixels, may be fractional) out of each image and resizes it to the image's
    /// own H×W with bilinear interpolation, sampling at pixel centres and clamping to the border (the same as
    /// <c>grid_sample(align_corners=False, padding_mode="border")</c> on the box's affine grid). boxes: [B, 4].
    /// </summary>
    public static Tensor ResizedCrop(Tensor images, Tensor boxes)
    {
        CheckImages(images);
        ArgumentNullException.ThrowIfNull(boxes);
        if (boxes.dim() != 2 || boxes.size(0) != images.size(0) || boxes.size(1) != 4)
            throw new ArgumentException($"boxes must be [B, 4] = (top, left, height, width) with B = {images.size(0)}, not [{string.Join(", ", boxes.shape)}].", nameof(boxes));
        using var scope = torch.NewDisposeScope();
        long h = images.size(2), w = images.size(3);
        var b = boxes.to(images.dtype);
        var rows = InterpolationMatrix(b.select(1, 0), b.select(1, 2), h);     // [B, H, H]
        var columns = InterpolationMatrix(b.select(1, 1), b.select(1, 3), w);  // [B, W, W]
        var result = rows.unsqueeze(1).matmul(images).matmul(columns.unsqueeze(1).transpose(2, 3));
        return result.MoveToOuterDisposeScope();
    }

    // M[b, i, j] = max(0, 1 − |y_bi − j|),  y_bi = clamp(start_b + (i + ½)·length_b / n − ½, 0, n − 1)
    private static Tensor InterpolationMatrix(Tensor start, Tensor length, long n)
    {
        var i = torch.arange(0.0, n, dtype: start.dtype, device: start.device);
        var y = (start.unsqueeze(1) + (i.unsqueeze(0) + 0.5) * length.unsqueeze(1) / n - 0.5).clamp(0, n - 1);  // [B, n]
        return (1 - (y.unsqueeze(2) - i.view(1, 1, n)).abs()).clamp(min: 0);
    }

    /// <summary>
    /// Random boxes [B, 4] = (top, left, height, width): area fraction uniform in <paramref name="scale"/>, aspect ratio
    /// log-uniform in <paramref name="ratio"/>, sides clamped to the image, position uniform over the places it fits.
    /// </summary>
    public static Tensor RandomBoxes(long count, long height, long width, (double Min, double Max) scale, (double Min, double Max) ratio, Device? device = null)
    {
        if (scale.Min <= 0 || scale.Max > 1 || scale.Min > scale.Max)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the crop's area fraction must satisfy 0 < min <= max <= 1.");
        if (ratio.Min <= 0 || ratio.Min > ratio.Max)
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "the aspect ratio range must satisfy 0 < min <= max.");
        using var scope = torch.NewDisposeScope();
        var area = (torch.rand([count], device: device) * (scale.Max - scale.Min) + scale.Min) * (height * width);
        var logRatio = torch.rand([count], device: device) * (Math.Log(ratio.Max) - Math.Log(ratio.Min)) + Math.Log(ratio.Min);
        var aspect = logRatio.exp();
        var cropWidth = (area * aspect).sqrt().clamp(1, width);
        var cropHeight = (area / aspect).sqrt().clamp(1, height);
        var top = torch.rand([count], device: device) * (height - cropHeight);
        var left = torch.rand([count], device: device) * (width - cropWidth);
        return torch.stack([top, left, cropHeight, cropWidth], 1).MoveToOuterDisposeScope();
    }

    /// <summary>A random resized crop of each image (see <see cref="RandomBoxes"/> and <see cref="ResizedCrop"/>).</summary>
    public static Tensor RandomResizedCrop(Tensor images, (double Min, double Max) scale, (double Min, double Max) ratio)
    {
        CheckImages(images);
        using var boxes = RandomBoxes(images.size(0), images.size(2), images.size(3), scale, ratio, images.device);
        return ResizedCrop(images, boxes);
    }

    // ---- brightness and contrast ---------------------------------------------------------------------------

    /// <summary>
    /// x ← clamp(β·x, 0, 1), then x ← clamp(μ + γ·(x − μ), 0, 1) with μ the image's mean: per-image factors β, γ, each [B].
    /// </summary>
    public static Tensor AdjustBrightnessContrast(Tensor images, Tensor brightness, Tensor contrast)
    {
        CheckImages(images);
        long b = images.size(0);
        if (brightness.numel() != b || contrast.numel() != b)
            throw new ArgumentException($"one brightness and one contrast factor per image ({b}), not {brightness.numel()} and {contrast.numel()}.");
        using var scope = torch.NewDisposeScope();
        var x = (images * brightness.to(images.dtype).view(b, 1, 1, 1)).clamp(0, 1);
        var mean = x.mean([1, 2, 3], keepdim: true);
        x = (mean + contrast.to(images.dtype).view(b, 1, 1, 1) * (x - mean)).clamp(0, 1);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Brightness and contrast factors drawn uniformly in [1 − brightness, 1 + brightness] and [1 − contrast, 1 + contrast].</summary>
    public static Tensor ColorJitter(Tensor images, double brightness, double contrast)
    {
        CheckImages(images);
        if (brightness is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(brightness), brightness, "brightness jitter must be in [0, 1].");
        if (contrast is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(contrast), contrast, "contrast jitter must be in [0, 1].");
        using var scope = torch.NewDisposeScope();
        long b = images.size(0);
        var beta = 1 - brightness + 2 * brightness * torch.rand([b], device: images.device);
        var gamma = 1 - contrast + 2 * contrast * torch.rand([b], device: images.device);
        return AdjustBrightnessContrast(images, beta, gamma).MoveToOuterDisposeScope();
    }

    // ---- blur ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Blurs image b with a Gaussian of width sigmas[b] pixels, separably: each output pixel is a weighted mean of its row
    /// and column neighbours with weights exp(−d² / 2σ²), normalised so they sum to 1 (near the border too).
    /// </summary>
    public static Tensor GaussianBlur(Tensor images, Tensor sigmas)
    {
        CheckImages(images);
        if (sigmas.numel() != images.size(0)) throw new ArgumentException($"one sigma per image ({images.size(0)}), not {sigmas.numel()}.", nameof(sigmas));
        using var scope = torch.NewDisposeScope();
        var s = sigmas.to(images.dtype).flatten();
        if (s.le(0).any().item<bool>()) throw new ArgumentOutOfRangeException(nameof(sigmas), "blur widths must be positive.");
        var rows = BlurMatrix(s, images.size(2));
        var columns = BlurMatrix(s, images.size(3));
        var result = rows.unsqueeze(1).matmul(images).matmul(columns.unsqueeze(1).transpose(2, 3));
        return result.MoveToOuterDisposeScope();
    }

    // G[b, i, j] ∝ exp(−(i − j)² / 2σ_b²), each row summing to 1
    private static Tensor BlurMatrix(Tensor sigma, long n)
    {
        var i = torch.arange(0.0, n, dtype: sigma.dtype, device: sigma.device);
        var d2 = (i.view(1, n, 1) - i.view(1, 1, n)).square();
        var g = (-d2 / (2 * sigma.square().view(-1, 1, 1))).exp();
        return g / g.sum(2, keepdim: true);
    }

    /// <summary>Blurs each image with probability <paramref name="p"/>, σ uniform in <paramref name="sigma"/>.</summary>
    public static Tensor RandomGaussianBlur(Tensor images, double p, (double Min, double Max) sigma)
    {
        CheckImages(images);
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "p is a probability (0..1).");
        if (sigma.Min <= 0 || sigma.Min > sigma.Max) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "blur widths must satisfy 0 < min <= max.");
        using var scope = torch.NewDisposeScope();
        long b = images.size(0);
        var sigmas = torch.rand([b], device: images.device) * (sigma.Max - sigma.Min) + sigma.Min;
        var blur = torch.rand([b], device: images.device).lt(p).view(b, 1, 1, 1);
        return torch.where(blur, GaussianBlur(images, sigmas), images).MoveToOuterDisposeScope();
    }

    private static void CheckImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"views take a batch of images [B, C, H, W], not shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (!images.is_floating_point())
            throw new ArgumentException($"views take floating-point images with pixels in [0, 1], not {images.dtype}.", nameof(images));
    }
}
