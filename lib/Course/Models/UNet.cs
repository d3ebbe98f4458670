namespace Course.Models;

/// <summary>
/// A small U-Net noise predictor ε_θ(x_t, t, c) for DDPM, at two resolutions (H×W and H/2×W/2):
/// <code>
///   e      = MLP(sinusoid(t)) + W_c c          (c: the condition, e.g. a CLIP text embedding; ∅ → a learned vector)
///   h_1    = Res(conv_in(x_t), e)                               H × W,   C channels      ─┐ skip
///   h_2    = Res(down(h_1), e)                                  H/2,     2C              ─┐ skip
///   m      = Res(h_2, e)                                        H/2,     2C (the bottom)  │
///   u_2    = Res([m, h_2], e)                                   H/2,     2C              ←┘
///   u_1    = Res([up(u_2), h_1], e)                             H × W,   C               ←┘
///   ε̂      = conv_out(SiLU(GroupNorm(u_1)))
/// </code>
/// Each residual block adds a projection of e to its feature maps, so every resolution knows the noise level and
/// the prompt. The condition is added to the time embedding rather than read by cross-attention: a pooled CLIP
/// embedding is a single vector, and cross-attention to one token is a constant (softmax over one key is 1), so
/// attention would reduce to adding a linear map of c anyway. Stable Diffusion cross-attends to all token states.
/// </summary>
public sealed class UNet : nn.Module
{
    public readonly Linear time_fc1, time_fc2;
    public readonly Linear? cond_proj;
    public readonly Parameter? null_condition;
    public readonly Conv2d conv_in, down, up, conv_out;
    public readonly ResidualBlock block1, block2, middle, up_block2, up_block1;
    public readonly GroupNorm norm_out;
    public long channels { get; }
    public long time_dim { get; }
    public long condition_dim { get; }

    /// <param name="in_channels">image channels (1 for Fashion-MNIST)</param>
    /// <param name="channels">C, the width at full resolution (2C at half)</param>
    /// <param name="condition_dim">size of the condition vector; 0 for an unconditional model</param>
    /// <param name="groups">GroupNorm groups (must divide C)</param>
    public UNet(long in_channels = 1, long channels = 32, long condition_dim = 0, long groups = 8)
        : base(nameof(UNet))
    {
        if (channels < 1 || channels % groups != 0) throw new ArgumentException($"the width {channels} must be a positive multiple of the {groups} GroupNorm groups.", nameof(channels));
        if (condition_dim < 0) throw new ArgumentOutOfRangeException(nameof(condition_dim), condition_dim, "the condition size is 0 (none) or positive.");
        this.channels = channels; time_dim = 4 * channels; this.condition_dim = condition_dim;
        long c = channels, e = time_dim;
        time_fc1 = nn.Linear(c, e); time_fc2 = nn.Linear(e, e);
        if (condition_dim > 0)
        {
            cond_proj = nn.Linear(condition_dim, e);
            null_condition = nn.Parameter(zeros(condition_dim));
        }
        conv_in = nn.Conv2d(in_channels, c, 3, padding: 1);
        block1 = new ResidualBlock(c, c, e, groups);
        down = nn.Conv2d(c, c, 3, stride: 2, padding: 1);
        block2 = new ResidualBlock(c, 2 * c, e, groups);
        middle = new ResidualBlock(2 * c, 2 * c, e, groups);
        up_block2 = new ResidualBlock(4 * c, 2 * c, e, groups);
        up = nn.Conv2d(2 * c, c, 3, padding: 1);
        up_block1 = new ResidualBlock(2 * c, c, e, groups);
        norm_out = new GroupNorm(groups, c);
        conv_out = nn.Conv2d(c, in_channels, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>
    /// x_t [B, in_channels, H, W] (H, W even), steps t [B] int64, condition [B, condition_dim] or null (∅ for every
    /// row); <paramref name="drop"/> [B] bool marks rows whose condition is replaced by ∅ (classifier-free training).
    /// Returns ε̂ with the shape of x_t.
    /// </summary>
    public Tensor forward(Tensor x, Tensor t, Tensor? condition = null, Tensor? drop = null)
    {
        if (x.dim() != 4 || x.size(2) % 2 != 0 || x.size(3) % 2 != 0)
            throw new ArgumentException($"the U-Net takes images [B, C, H, W] with even H and W, not [{string.Join(", ", x.shape)}].", nameof(x));
        if (t.dim() != 1 || t.size(0) != x.size(0)) throw new ArgumentException($"t must hold one step per image ([{x.size(0)}]), not [{string.Join(", ", t.shape)}].", nameof(t));
        var e = time_fc2.forward(F.silu(time_fc1.forward(SinusoidalEmbedding.Of(t, channels, x.dtype))));
        if (cond_proj is not null) e = e + cond_proj.forward(ConditionOrEmpty(condition, drop, x));
        else if (condition is not null) throw new ArgumentException("this U-Net was built without a condition (condition_dim = 0).", nameof(condition));

        var h1 = block1.forward(conv_in.forward(x), e);
        var h2 = block2.forward(down.forward(h1), e);
        var m = middle.forward(h2, e);
        var u2 = up_block2.forward(cat(new[] { m, h2 }, 1), e);
        var u1 = up_block1.forward(cat(new[] { up.forward(Upsample2x(u2)), h1 }, 1), e);
        return conv_out.forward(F.silu(norm_out.forward(u1)));
    }

    // the conditions with dropped rows (or all rows, when there are none) replaced by the learned ∅
    private Tensor ConditionOrEmpty(Tensor? condition, Tensor? drop, Tensor x)
    {
        var empty = null_condition!.view(1, -1).expand(x.size(0), -1);
        if (condition is null) return empty;
        if (condition.dim() != 2 || condition.size(0) != x.size(0) || condition.size(1) != condition_dim)
            throw new ArgumentException($"conditions must be [{x.size(0)}, {condition_dim}], not [{string.Join(", ", condition.shape)}].", nameof(condition));
        if (drop is null) return condition;
        if (drop.dim() != 1 || drop.size(0) != x.size(0)) throw new ArgumentException($"drop must be a [{x.size(0)}] mask, not [{string.Join(", ", drop.shape)}].", nameof(drop));
        return where(drop.view(-1, 1), empty, condition);
    }

    /// <summary>Nearest-neighbour upsampling by 2: every pixel becomes a 2×2 block.</summary>
    public static Tensor Upsample2x(Tensor x)
    {
        long b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return x.reshape(b, c, h, 1, w, 1).expand(b, c, h, 2, w, 2).reshape(b, c, 2 * h, 2 * w);
    }
}

/// <summary>
/// The U-Net's residual block: h = conv(SiLU(GN(x))) + W_e e (the time/condition embedding, per channel);
/// out = skip(x) + conv(SiLU(GN(h))), skip a 1×1 convolution when the width changes.
/// </summary>
public sealed class ResidualBlock : nn.Module
{
    public readonly GroupNorm norm1, norm2;
    public readonly Conv2d conv1, conv2;
    public readonly Linear embed;
    public readonly Conv2d? skip;

    public ResidualBlock(long in_channels, long out_channels, long embed_dim, long groups = 8)
        : base(nameof(ResidualBlock))
    {
        norm1 = new GroupNorm(Math.Min(groups, in_channels), in_channels);
        conv1 = nn.Conv2d(in_channels, out_channels, 3, padding: 1);
        embed = nn.Linear(embed_dim, out_channels);
        norm2 = new GroupNorm(Math.Min(groups, out_channels), out_channels);
        conv2 = nn.Conv2d(out_channels, out_channels, 3, padding: 1);
        if (in_channels != out_channels) skip = nn.Conv2d(in_channels, out_channels, 1);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor e)
    {
        var h = conv1.forward(F.silu(norm1.forward(x))) + embed.forward(F.silu(e)).unsqueeze(-1).unsqueeze(-1);
        h = conv2.forward(F.silu(norm2.forward(h)));
        return (skip?.forward(x) ?? x) + h;
    }
}
