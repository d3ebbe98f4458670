using Torch.Interop;
using static Torch.torch;
using static Torch.torch.nn;
using static Torch.torch.optim;

namespace Torch.Modules;

/// <summary>
/// RMSprop (Hinton), with PyTorch's update:
/// g ← ∇ + λθ;  v ← αv + (1−α)g²;  centered: ḡ ← αḡ + (1−α)g, d = √(v − ḡ²) + ε, otherwise d = √v + ε;
/// with momentum μ: b ← μb + g/d, θ ← θ − ηb; without: θ ← θ − η g/d.
/// </summary>
public sealed class RMSprop : Optimizer
{
    public double alpha { get; }
    public double eps { get; }
    public double weight_decay { get; }
    public double momentum { get; }
    public bool centered { get; }
    private TensorList? squareAvg, gradAvg, buffers;

    public RMSprop(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weight_decay = 0, double momentum = 0, bool centered = false)
        : base(parameters, lr)
    {
        if (alpha < 0) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be >= 0");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be >= 0");
        if (weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "weight_decay must be >= 0");
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be >= 0");
        (this.alpha, this.eps, this.weight_decay, this.momentum, this.centered) = (alpha, eps, weight_decay, momentum, centered);
    }

    private protected override void Update(int[] active, TensorList p, TensorList g)
    {
        squareAvg ??= NewState();
        using var v = squareAvg.Select(active);
        using var decayed = weight_decay != 0 ? g.add(p, weight_decay) : null;
        var grad = decayed ?? g;
        v.mul_(alpha).addcmul_(grad, grad, 1 - alpha);

        TensorList denom;
        if (centered)
        {
            gradAvg ??= NewState();
            using var mean = gradAvg.Select(active);
            mean.mul_(alpha).add_(grad, 1 - alpha);
            denom = v.addcmul(mean, mean, -1).sqrt_();
        }
        else denom = v.sqrt();
        using (denom)
        {
            denom.add_(eps);
            if (momentum > 0)
            {
                buffers ??= NewState();
                using var b = buffers.Select(active);
                b.mul_(momentum).addcdiv_(grad, denom, Enumerable.Repeat(1.0, active.Length).ToArray());
                p.add_(b, -lr);
            }
            else p.addcdiv_(grad, denom, Enumerable.Repeat(-lr, active.Length).ToArray());
        }
    }
}
