namespace Course;

/// <summary>
/// An axis-aligned box in corner form (x1, y1, x2, y2), pixels, x to the right and y down: torchvision's "xyxy".
/// A box is valid when x1 ≤ x2 and y1 ≤ y2; a box with x1 = x2 or y1 = y2 has zero area.
/// </summary>
public readonly record struct Box(double X1, double Y1, double X2, double Y2)
{
    public double Width => X2 - X1;
    public double Height => Y2 - Y1;

    /// <summary>(x2 − x1)(y2 − y1), as torchvision's box_area computes it.</summary>
    public double Area => (X2 - X1) * (Y2 - Y1);

    /// <summary>A box from its centre and size.</summary>
    public static Box FromCenter(double cx, double cy, double width, double height)
        => new(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2);

    /// <summary>Throws unless the corners are finite and ordered (x1 ≤ x2, y1 ≤ y2).</summary>
    public Box Validated(string? name = null)
    {
        if (!double.IsFinite(X1) || !double.IsFinite(Y1) || !double.IsFinite(X2) || !double.IsFinite(Y2))
            throw new ArgumentException($"box {this} has a coordinate that is not finite.", name ?? "box");
        if (X2 < X1 || Y2 < Y1)
            throw new ArgumentException($"box {this} is not in (x1, y1, x2, y2) form with x1 ≤ x2 and y1 ≤ y2.", name ?? "box");
        return this;
    }

    public override string ToString() => FormattableString.Invariant($"({X1:0.###}, {Y1:0.###}, {X2:0.###}, {Y2:0.###})");
}
