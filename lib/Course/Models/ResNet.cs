namespace Course.Models;

/// <summary>
/// The residual block (He et al.): y = ReLU(F(x) + shortcut(x)), F = conv-BN-ReLU-conv-BN; the
/// shortcut is the identity, or a 1×1 convolution when the shape changes.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    public readonly Conv2d conv1, conv2;
    public readonly BatchNorm2d bn1, bn2;
    public readonly Sequential? shortcut;

    public BasicBlock(long in_channels, long out_channels, long stride = 1)
        : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(in_channels, out_channels, 3, stride: stride, padding: 1, bias: false); bn1 = nn.BatchNorm2d(out_channels);
        conv2 = nn.Conv2d(out_channels, out_channels, 3, padding: 1, bias: false); bn2 = nn.BatchNorm2d(out_channels);
        if (stride != 1 || in_channels != out_channels)
            shortcut = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride: stride, bias: false), nn.BatchNorm2d(out_channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = bn1.forward(conv1.forward(x)).relu();
        h = bn2.forward(conv2.forward(h));
        return (h + (shortcut?.forward(x) ?? x)).relu();
    }
}

/// <summary>A small ResNet for 28×28 images: a 3×3 stem, three stages of residual blocks (widths w, 2w, 4w; the last two halve the resolution), global average pooling, a linear classifier.</summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    public readonly Sequential stem, stages;
    public readonly Linear fc;

    public ResNet(long in_channels = 1, long num_classes = 10, long width = 32, int blocks_per_stage = 1)
        : base(nameof(ResNet))
    {
        stem = nn.Sequential(nn.Conv2d(in_channels, width, 3, padding: 1, bias: false), nn.BatchNorm2d(width), nn.ReLU());
        stages = nn.Sequential();
        long channels = width;
        foreach (var (w, stride) in new[] { (width, 1L), (2 * width, 2L), (4 * width, 2L) })
            for (int b = 0; b < blocks_per_stage; b++)
            {
                stages.append(new BasicBlock(channels, w, b == 0 ? stride : 1));
                channels = w;
            }
        fc = nn.Linear(channels, num_classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = stages.forward(stem.forward(x));
        return fc.forward(nn.functional.adaptive_avg_pool2d(h, 1).flatten(1));
    }
}
