namespace Course.Models;

/// <summary>What a <see cref="CenterNet"/> should output for a batch of images: a Gaussian heat map per class, and at each object's centre cell its size and offset.</summary>
public sealed class CenterNetTargets : IDisposable
{
    public CenterNetTargets(Tensor heat, Tensor mask, Tensor size, Tensor offset, int objects)
        => (Heat, Mask, Size, Offset, Objects) = (heat, mask, size, offset, objects);

    /// <summary>[B, C, h, w]: 1 at an object's centre cell, a Gaussian bump around it, 0 far away (max where bumps of one class meet).</summary>
    public Tensor Heat { get; }
    /// <summary>[B, 1, h, w]: 1 at the centre cells, where size and offset are supervised.</summary>
    public Tensor Mask { get; }
    /// <summary>[B, 2, h, w]: (w, h) of the object in cells at its centre cell.</summary>
    public Tensor Size { get; }
    /// <summary>[B, 2, h, w]: (δx, δy) ∈ [0, 1), the centre's position inside its cell.</summary>
    public Tensor Offset { get; }
    /// <summary>The number of objects (centre cells) in the batch.</summary>
    public int Objects { get; }

    public CenterNetTargets To(Device device) => new(Heat.to(device), Mask.to(device), Size.to(device), Offset.to(device), Objects);

    public void Dispose() { Heat.Dispose(); Mask.Dispose(); Size.Dispose(); Offset.Dispose(); }
}

/// <summary>
/// The CenterNet loss, per object (N = number of objects in the batch), with p = σ(heat logit) and Y the target heat map:
///   L_heat = −(1/N) Σ [Y = 1] (1 − p)^α log p + [Y &lt; 1] (1 − Y)^β p^α log(1 − p)   (focal loss, α = 2, β = 4),
///   L_size = (1/N) Σ_centres |ŝ − s|₁,   L_off = (1/N) Σ_centres |ô − o|₁,
///   L = L_heat + λ_size L_size + L_off   (λ_size = 0.1).
/// The (1 − Y)^β factor forgives confident predictions next to a centre, where the target is high but not 1.
/// </summary>
public static class CenterNetLoss
{
    /// <summary>
    /// Targets for images of <paramref name="height"/>×<paramref name="width"/> pixels and their objects. An object's
    /// centre cell is ⌊centre / stride⌋; the bump is exp(−(Δx²/2σx² + Δy²/2σy²)) in cells, with σ = max(size in cells / 6, 0.5) per axis.
    /// </summary>
    public static CenterNetTargets Targets(IReadOnlyList<IReadOnlyList<LabeledBox>> objects, int numClasses, int height, int width, int stride = CenterNet.Stride)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "at least one class.");
        if (height % stride != 0 || width % stride != 0) throw new ArgumentException($"the image ({height}×{width}) must be a multiple of the stride {stride}.");
        int h = height / stride, w = width / stride, b = objects.Count;
        var heat = new float[b * numClasses * h * w];
        var mask = new float[b * h * w];
        var size = new float[b * 2 * h * w];
        var offset = new float[b * 2 * h * w];
        int count = 0;
        for (int n = 0; n < b; n++)
            foreach (var o in objects[n])
            {
                if (o.Label < 0 || o.Label >= numClasses) throw new ArgumentOutOfRangeException(nameof(objects), o.Label, $"label must be in [0, {numClasses}).");
                var box = o.Box.Validated();
                double cx = (box.X1 + box.X2) / 2 / stride, cy = (box.Y1 + box.Y2) / 2 / stride;   // centre in cells
                int j = Math.Clamp((int)Math.Floor(cx), 0, w - 1), i = Math.Clamp((int)Math.Floor(cy), 0, h - 1);
                double bw = box.Width / stride, bh = box.Height / stride;
                double sx = Math.Max(bw / 6, 0.5), sy = Math.Max(bh / 6, 0.5);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        double g = Math.Exp(-((x - j) * (x - j) / (2 * sx * sx) + (y - i) * (y - i) / (2 * sy * sy)));
                        int k = ((n * numClasses + o.Label) * h + y) * w + x;
                        heat[k] = Math.Max(heat[k], (float)g);
                    }
                int c = (n * h + i) * w + j;
                if (mask[c] == 0) count++;   // two centres in one cell: the later object's size and offset win
                mask[c] = 1;
                size[(n * 2 * h + i) * w + j] = (float)bw;
                size[((n * 2 + 1) * h + i) * w + j] = (float)bh;
                offset[(n * 2 * h + i) * w + j] = (float)(cx - j);
                offset[((n * 2 + 1) * h + i) * w + j] = (float)(cy - i);
            }
        return new CenterNetTargets(
            tensor(heat, new long[] { b, numClasses, h, w }), tensor(mask, new long[] { b, 1, h, w }),
            tensor(size, new long[] { b, 2, h, w }), tensor(offset, new long[] { b, 2, h, w }), count);
    }

    /// <summary>The focal loss on the heat map, summed and divided by the number of objects (p is clamped to [1e-4, 1 − 1e-4]).</summary>
    public static Tensor Focal(Tensor heatLogits, Tensor heatTarget, int objects, double alpha = 2, double beta = 4)
    {
        var p = heatLogits.sigmoid().clamp(1e-4, 1 - 1e-4);
        var positive = heatTarget.eq(1.0).to(p.dtype);
        var positiveTerm = positive * (1 - p).pow(alpha) * p.log();
        var negativeTerm = (1 - positive) * (1 - heatTarget).pow(beta) * p.pow(alpha) * (1 - p).log();
        return -(positiveTerm + negativeTerm).sum() / Math.Max(objects, 1);
    }

    /// <summary>The whole loss L = L_heat + λ_size L_size + L_off of a CenterNet output [B, C + 4, h, w].</summary>
    public static Tensor Loss(Tensor output, CenterNetTargets targets, int numClasses, double sizeWeight = 0.1)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(targets);
        if (output.dim() != 4 || output.size(1) != numClasses + 4)
            throw new ArgumentException($"output must be [B, {numClasses} + 4, h, w], not [{string.Join(", ", output.shape)}].", nameof(output));
        if (!output.shape.Skip(2).SequenceEqual(targets.Heat.shape.Skip(2)) || output.size(0) != targets.Heat.size(0))
            throw new ArgumentException($"output [{string.Join(", ", output.shape)}] and targets [{string.Join(", ", targets.Heat.shape)}] disagree in batch or grid size.");
        var heat = output.narrow(1, 0, numClasses);
        var size = output.narrow(1, numClasses, 2);
        var offset = output.narrow(1, numClasses + 2, 2);
        var mask = targets.Mask.to(output.dtype);
        double n = Math.Max(targets.Objects, 1);
        var sizeLoss = ((size - targets.Size.to(output.dtype)).abs() * mask).sum() / n;
        var offsetLoss = ((offset - targets.Offset.to(output.dtype)).abs() * mask).sum() / n;
        return Focal(heat, targets.Heat.to(output.dtype), targets.Objects) + sizeWeight * sizeLoss + offsetLoss;
    }
}
