namespace Course.Models;

/// <summary>
/// A tiny anchor-free single-stage detector in the style of CenterNet (Zhou et al., "Objects as Points", 2019). A small
/// CNN maps an H×W image to a grid of (H/4)×(W/4) cells (stride 4); every cell predicts, in one 1×1 convolution,
///   • C heat-map logits: σ(logit) is the confidence that an object of class c has its centre in this cell,
///   • 2 sizes (w, h) of that object, in cells,
///   • 2 offsets (δx, δy) ∈ [0, 1) from the cell's corner to the exact centre, in cells.
/// An object whose centre is in cell (i, j) decodes to the box centred at ((j + δx)·4, (i + δy)·4) pixels of size
/// (w·4, h·4). The output is one tensor [B, C + 4, H/4, W/4]: channels [0, C) heat, [C, C+2) size, [C+2, C+4) offset.
/// </summary>
public sealed class CenterNet : nn.Module<Tensor, Tensor>
{
    public const int Stride = 4;
    public readonly Sequential backbone;
    public readonly Conv2d head;
    public readonly long num_classes;

    public CenterNet(long num_classes, long in_channels = 1, long width = 32)
        : base(nameof(CenterNet))
    {
        this.num_classes = num_classes;
        long half = width / 2;
        backbone = nn.Sequential(
            nn.Conv2d(in_channels, half, 3, padding: 1), nn.BatchNorm2d(half), nn.ReLU(), nn.MaxPool2d(2),        // H/2
            nn.Conv2d(half, width, 3, padding: 1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),             // H/4
            nn.Conv2d(width, 2 * width, 3, padding: 1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.Conv2d(2 * width, 2 * width, 3, padding: 2, dilation: 2), nn.BatchNorm2d(2 * width), nn.ReLU(),  // wider view: objects span up to 7 cells
            nn.Conv2d(2 * width, 2 * width, 3, padding: 1), nn.BatchNorm2d(2 * width), nn.ReLU());
        head = nn.Conv2d(2 * width, num_classes + 4, 1);
        // the heat-map bias starts at log(0.1/0.9): σ = 0.1 everywhere, so the first steps are not swamped by the many empty cells
        using var _ = no_grad();
        head.bias!.narrow(0, 0, num_classes).fill_(Math.Log(0.1 / 0.9));
        RegisterComponents();
    }

    /// <summary>[B, C_in, H, W] → [B, C + 4, H/4, W/4]: heat-map logits, sizes, offsets.</summary>
    public override Tensor forward(Tensor x) => head.forward(backbone.forward(x));

    /// <summary>The heat-map logits [B, C, h, w] of an output.</summary>
    public Tensor heat_logits(Tensor output) => output.narrow(1, 0, num_classes);

    /// <summary>The sizes (w, h) in cells [B, 2, h, w] of an output.</summary>
    public Tensor sizes(Tensor output) => output.narrow(1, num_classes, 2);

    /// <summary>The centre offsets (δx, δy) in cells [B, 2, h, w] of an output.</summary>
    public Tensor offsets(Tensor output) => output.narrow(1, num_classes + 2, 2);
}
