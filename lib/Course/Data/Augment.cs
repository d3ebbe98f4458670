namespace Course;

/// <summary>
/// Random augmentations of image batches [B, C, H, W], computed for the whole batch at once on its device, with a
/// different draw for each image. They use libtorch's generator: <c>torch.manual_seed</c> makes them repeat.
/// Use them as (part of) a <see cref="DataLoader"/>'s transform for the training split only.
/// </summary>
public static class Augment
{
    /// <summary>
    /// Pads each image by <paramref name="padding"/> zeros on every side, then crops an H×W window at a random
    /// offset (each image its own): the image shifts by up to ±padding pixels.
    /// </summary>
    public static Tensor RandomCrop(Tensor images, int padding = 4)
    {
        CheckImages(images);
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding cannot be negative.");
        using var scope = torch.NewDisposeScope();
        long b = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
        var padded = F.pad(images, [padding, padding, padding, padding]);   // [B, C, H+2p, W+2p]
        // rows[i, r] = top[i] + r, then columns[i, k] = left[i] + k: two gathers pick each image's window.
        // (The sums are taken in float32, exact for these small integers: the binding cannot add int64 tensors.)
        var top = torch.randint(0, 2 * padding + 1, [b], dtype: torch.float32, device: images.device);
        var left = torch.randint(0, 2 * padding + 1, [b], dtype: torch.float32, device: images.device);
        var rows = (top.view(b, 1) + torch.arange(0.0, h, device: images.device).view(1, h)).to(torch.int64);
        var columns = (left.view(b, 1) + torch.arange(0.0, w, device: images.device).view(1, w)).to(torch.int64);
        var croppedRows = padded.gather(2, rows.view(b, 1, h, 1).expand(b, c, h, w + 2 * padding));
        var cropped = croppedRows.gather(3, columns.view(b, 1, 1, w).expand(b, c, h, w));
        return cropped.MoveToOuterDisposeScope();
    }

    /// <summary>Mirrors each image left–right with probability <paramref name="p"/>.</summary>
    public static Tensor RandomHorizontalFlip(Tensor images, double p = 0.5)
    {
        CheckImages(images);
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "p is a probability (0..1).");
        using var scope = torch.NewDisposeScope();
        long b = images.size(0);
        var flip = torch.rand([b], device: images.device).lt(p).view(b, 1, 1, 1);
        var result = torch.where(flip, images.flip(3), images);
        return result.MoveToOuterDisposeScope();
    }

    private static void CheckImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"augmentations take a batch of images [B, C, H, W], not shape [{string.Join(", ", images.shape)}].", nameof(images));
    }
}
