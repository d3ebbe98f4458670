using Torch.Interop;
using static Torch.torch;
using static Torch.torch.nn;
using static Torch.torch.optim;

namespace Torch.Modules;

/// <summary>
/// Adam (and AdamW with <c>decoupled</c>), with PyTorch's update:
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
/// Adam adds λθ to the gradient; AdamW instead shrinks θ by (1 − ηλ) before the update.
/// As in PyTorch (state['step']), t counts the updates of each parameter: a parameter without a
/// gradient skips a step, and its bias corrections lag behind the others'.
/// </summary>
public class Adam : Optimizer
{
    public double beta1 { get; }
    public double beta2 { get; }
    public double eps { get; }
    public double weight_decay { get; }
    private readonly bool decoupled;
    private readonly long[] steps;  // per parameter: the updates it has had (t)
    private TensorList? expAvg, expAvgSq;

    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weight_decay = 0)
        : this(parameters, lr, betas, eps, weight_decay, decoupled: false) { }

    protected Adam(IEnumerable<Parameter> parameters, double lr, (double, double)? betas, double eps, double weight_decay, bool decoupled) : base(parameters, lr)
    {
        (beta1, beta2) = betas ?? (0.9, 0.999);
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(betas), $"betas must be in [0, 1): ({beta1}, {beta2})");
        (this.eps, this.weight_decay, this.decoupled) = (eps, weight_decay, decoupled);
        steps = new long[this.parameters.Length];
    }

    private protected override void Update(int[] active, TensorList p, TensorList g)
    {
        expAvg ??= NewState();
        expAvgSq ??= NewState();
        using var m = expAvg.Select(active);
        using var v = expAvgSq.Select(active);
        var stepSize = new double[active.Length];          // −η / (1−β₁ᵗ)
        var bias2Sqrt = new double[active.Length];         // √(1−β₂ᵗ)
        for (int k = 0; k < active.Length; k++)
        {
            long t = ++steps[active[k]];
            stepSize[k] = -lr / (1 - Math.Pow(beta1, t));
            bias2Sqrt[k] = Math.Sqrt(1 - Math.Pow(beta2, t));
        }

        if (decoupled && weight_decay != 0) p.mul_(1 - lr * weight_decay);
        using var coupled = !decoupled && weight_decay != 0 ? g.add(p, weight_decay) : null;
        var grad = coupled ?? g;
        m.mul_(beta1).add_(grad, 1 - beta1);
        v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        using var denom = v.sqrt();
        denom.div_(bias2Sqrt).add_(eps);
        p.addcdiv_(m, denom, stepSize);
    }
}

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter); PyTorch's default λ = 0.01.</summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weight_decay = 0.01)
        : base(parameters, lr, betas, eps, weight_decay, decoupled: true) { }
}
