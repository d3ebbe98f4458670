namespace Course;

/// <summary>
/// Intersection over union of boxes: IoU(A, B) = |A ∩ B| / (|A| + |B| − |A ∩ B|). The intersection of two boxes is the
/// box between the larger of the left/top edges and the smaller of the right/bottom edges, with a negative side
/// clamped to 0 (disjoint boxes intersect in nothing). The operations and their order are torchvision.ops.box_iou's,
/// so float64 results are bit for bit the same; like torchvision, two zero-area boxes give 0/0 = NaN.
/// </summary>
public static class BoxIoU
{
    /// <summary>IoU of two boxes.</summary>
    public static double Of(Box a, Box b)
    {
        double inter = Intersection(a, b);
        return inter / (a.Area + b.Area - inter);
    }

    /// <summary>The area of A ∩ B (0 for disjoint or touching boxes).</summary>
    public static double Intersection(Box a, Box b)
    {
        double w = Math.Max(Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), 0);
        double h = Math.Max(Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1), 0);
        return w * h;
    }

    /// <summary>The [N, M] matrix of IoUs between N and M boxes.</summary>
    public static double[,] Matrix(IReadOnlyList<Box> a, IReadOnlyList<Box> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var result = new double[a.Count, b.Count];
        for (int i = 0; i < a.Count; i++)
            for (int j = 0; j < b.Count; j++)
                result[i, j] = Of(a[i], b[j]);
        return result;
    }

    /// <summary>
    /// torchvision.ops.box_iou: boxes1 [N, 4] and boxes2 [M, 4] in (x1, y1, x2, y2) form give the [N, M] IoU matrix,
    /// in the boxes' dtype and on their device.
    /// </summary>
    public static Tensor box_iou(Tensor boxes1, Tensor boxes2)
    {
        CheckBoxes(boxes1, nameof(boxes1));
        CheckBoxes(boxes2, nameof(boxes2));
        using var scope = NewDisposeScope();
        var area1 = box_area(boxes1);
        var area2 = box_area(boxes2);
        var lt = maximum(boxes1[.., TensorIndex.None, ..2], boxes2[.., ..2]);   // [N, M, 2] top-left of the intersection
        var rb = minimum(boxes1[.., TensorIndex.None, 2..], boxes2[.., 2..]);   // [N, M, 2] bottom-right
        var wh = (rb - lt).clamp(min: 0);
        var inter = wh[.., .., 0] * wh[.., .., 1];
        var union = area1[.., TensorIndex.None] + area2 - inter;
        return (inter / union).MoveToOuterDisposeScope();
    }

    /// <summary>torchvision.ops.box_area: (x2 − x1)(y2 − y1) of each row of an [N, 4] tensor.</summary>
    public static Tensor box_area(Tensor boxes)
    {
        CheckBoxes(boxes, nameof(boxes));
        return (boxes[.., 2] - boxes[.., 0]) * (boxes[.., 3] - boxes[.., 1]);
    }

    /// <summary>Rows of an [N, 4] tensor as boxes.</summary>
    public static Box[] ToBoxes(Tensor boxes)
    {
        CheckBoxes(boxes, nameof(boxes));
        using var d = boxes.detach().cpu().to(float64).contiguous();
        var v = d.data<double>().ToArray();
        return Enumerable.Range(0, v.Length / 4).Select(i => new Box(v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3])).ToArray();
    }

    /// <summary>Boxes as an [N, 4] float64 tensor.</summary>
    public static Tensor ToTensor(IReadOnlyList<Box> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var v = new double[boxes.Count * 4];
        for (int i = 0; i < boxes.Count; i++) (v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]) = (boxes[i].X1, boxes[i].Y1, boxes[i].X2, boxes[i].Y2);
        return tensor(v, new long[] { boxes.Count, 4 }, float64);
    }

    internal static void CheckBoxes(Tensor boxes, string name)
    {
        ArgumentNullException.ThrowIfNull(boxes, name);
        if (boxes.dim() != 2 || boxes.size(1) != 4)
            throw new ArgumentException($"boxes must be [N, 4] in (x1, y1, x2, y2) form, not [{string.Join(", ", boxes.shape)}].", name);
        if (!boxes.is_floating_point())
            throw new ArgumentException($"boxes must be a floating-point tensor, not {boxes.dtype}.", name);
    }
}
