namespace Course;

/// <summary>Images of scenes and, for each image, its objects (exact boxes and class labels).</summary>
public sealed class DetectionSceneSet : IDisposable
{
    public DetectionSceneSet(Tensor images, IReadOnlyList<LabeledBox[]> objects, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(objects);
        if (images.size(0) != objects.Count) throw new ArgumentException($"{images.size(0)} images but objects for {objects.Count}.", nameof(objects));
        (Images, Objects, ClassNames) = (images, objects, classNames);
    }

    /// <summary>[N, 1, S, S] float32 in [0, 1], black background.</summary>
    public Tensor Images { get; }
    /// <summary>The objects of each image.</summary>
    public IReadOnlyList<LabeledBox[]> Objects { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Objects.Count;
    public int ObjectCount => Objects.Sum(o => o.Length);

    /// <summary>Scenes [start, start + count).</summary>
    public DetectionSceneSet Slice(int start, int count)
        => new(Images.narrow(0, start, count), Objects.Skip(start).Take(count).ToArray(), ClassNames);

    public void Dispose() => Images.Dispose();

    public override string ToString() => $"{Count:N0} scenes of {Images.size(2)}×{Images.size(3)} pixels, {ObjectCount:N0} objects";
}

/// <summary>
/// A seeded generator of detection scenes: 1 to 4 items (uniformly many) taken from a set of small grey images
/// (Fashion-MNIST's 28×28 items) are pasted on a black square canvas. An item's box is the tight bounding box of its
/// non-zero pixels, in pixel-edge coordinates: an item whose non-zero pixels span columns a..b and rows c..d of the
/// canvas has the box (a, c, b + 1, d + 1), so box and pixels agree exactly. Only that tight crop is pasted.
/// Overlaps: a position is drawn uniformly among those that keep the crop inside the canvas; it is rejected if the
/// box intersects (positive area) a box already placed, and redrawn up to 50 times; an item that finds no free place
/// is left out (the scene then has fewer items; every scene keeps at least its first item). Boxes may touch, never overlap.
/// </summary>
public static class DetectionScenes
{
    public static DetectionSceneSet Generate(TensorDataset items, IReadOnlyList<string> classNames, int count, long seed,
        int canvasSize = 64, int minObjects = 1, int maxObjects = 4, int maxTries = 50)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(classNames);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "generate at least one scene.");
        if (minObjects < 1 || maxObjects < minObjects) throw new ArgumentException($"need 1 ≤ minObjects ≤ maxObjects, not {minObjects} and {maxObjects}.");
        if (items.Inputs.dim() != 4 || items.Inputs.size(1) != 1)
            throw new ArgumentException($"items must be grey images [N, 1, H, W], not [{string.Join(", ", items.Inputs.shape)}].", nameof(items));
        int n = (int)items.Inputs.size(0), ih = (int)items.Inputs.size(2), iw = (int)items.Inputs.size(3);
        if (canvasSize < Math.Max(ih, iw)) throw new ArgumentOutOfRangeException(nameof(canvasSize), canvasSize, $"the canvas must hold a {ih}×{iw} item.");
        using var pixelTensor = items.Inputs.detach().cpu().to(float32).contiguous();
        using var labelTensor = items.Targets.detach().cpu().to(int64).contiguous();
        var pixels = pixelTensor.data<float>().ToArray();
        var labels = labelTensor.data<long>().ToArray();
        if (pixels.Any(p => p < 0)) throw new ArgumentException("item pixels must be in [0, 1] with a zero background (not normalised).", nameof(items));

        var random = new SplitMix64(seed);
        int s = canvasSize;
        var canvas = new float[(long)count * s * s];
        var objects = new LabeledBox[count][];
        for (int scene = 0; scene < count; scene++)
        {
            int wanted = (int)random.NextInt64(minObjects, maxObjects + 1);
            var placed = new List<LabeledBox>();
            for (int k = 0; k < wanted; k++)
            {
                int item = (int)random.NextInt64(n);
                var (x0, y0, x1, y1) = TightBox(pixels, item, ih, iw);
                if (x1 < x0) continue;   // an all-black item has no box
                int w = x1 - x0 + 1, h = y1 - y0 + 1;
                for (int attempt = 0; attempt < maxTries; attempt++)
                {
                    int px = (int)random.NextInt64(s - w + 1), py = (int)random.NextInt64(s - h + 1);
                    var box = new Box(px, py, px + w, py + h);
                    if (placed.Any(p => BoxIoU.Intersection(p.Box, box) > 0)) continue;
                    placed.Add(new LabeledBox(box, (int)labels[item]));
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                            canvas[((long)scene * s + py + y) * s + px + x] = pixels[((long)item * ih + y0 + y) * iw + x0 + x];
                    break;
                }
            }
            objects[scene] = placed.ToArray();
        }
        return new DetectionSceneSet(tensor(canvas, new long[] { count, 1, s, s }), objects, classNames);
    }

    /// <summary>The first and last column and row holding a non-zero pixel of an item ((0, 0, −1, −1) when there is none).</summary>
    public static (int X0, int Y0, int X1, int Y1) TightBox(float[] pixels, int item, int height, int width)
    {
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (pixels[((long)item * height + y) * width + x] > 0)
                    (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
        return x1 < 0 ? (0, 0, -1, -1) : (x0, y0, x1, y1);
    }
}
