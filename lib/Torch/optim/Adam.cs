using N = Torch.Interop.Native;
using static Torch.torch.nn;

namespace Torch.Optimizers;

/// <summary>
/// Adam (and AdamW with <c>decoupled</c>), with PyTorch's update:
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
/// Adam adds λθ to the gradient; AdamW instead shrinks θ by (1 − ηλ) before the update.
/// </summary>
public class Adam : Optimizer
{
    public double beta1 { get; }
    public double beta2 { get; }
    public double eps { get; }
    public double weight_decay { get; }
    private readonly bool decoupled;
    private IntPtr[]? expAvg, expAvgSq;
    private long t;

    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weight_decay = 0)
        : this(parameters, lr, betas, eps, weight_decay, decoupled: false) { }

    protected Adam(IEnumerable<Parameter> parameters, double lr, (double, double)? betas, double eps, double weight_decay, bool decoupled) : base(parameters, lr)
    {
        (beta1, beta2) = betas ?? (0.9, 0.999);
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(betas), $"betas must be in [0, 1): ({beta1}, {beta2})");
        (this.eps, this.weight_decay, this.decoupled) = (eps, weight_decay, decoupled);
    }

    protected override void Update(int[]? active, IntPtr[] allGrads)
    {
        expAvg ??= NewState();
        expAvgSq ??= NewState();
        var p = Params(active);
        var g = Select(allGrads, active);
        var m = Select(expAvg, active);
        var v = Select(expAvgSq, active);
        int n = p.Length;
        t++;  // one step count for all parameters (PyTorch keeps one per parameter; they agree unless some skip steps)
        IntPtr[]? decayed = null, denom = null;
        try
        {
            if (weight_decay != 0)
            {
                if (decoupled) N.Check(N.ts_foreach_mul_scalar_(p, n, 1 - lr * weight_decay));
                else { decayed = new IntPtr[n]; N.Check(N.ts_foreach_add(g, p, n, weight_decay, decayed)); g = decayed; }
            }
            N.Check(N.ts_foreach_mul_scalar_(m, n, beta1));
            N.Check(N.ts_foreach_add_(m, g, n, 1 - beta1));
            N.Check(N.ts_foreach_mul_scalar_(v, n, beta2));
            N.Check(N.ts_foreach_addcmul_(v, g, g, n, 1 - beta2));
            double bias1 = 1 - Math.Pow(beta1, t), bias2 = 1 - Math.Pow(beta2, t);
            denom = new IntPtr[n];
            N.Check(N.ts_foreach_sqrt(v, n, denom));
            N.Check(N.ts_foreach_div_scalar_(denom, n, Math.Sqrt(bias2)));
            N.Check(N.ts_foreach_add_scalar_(denom, n, eps));
            N.Check(N.ts_foreach_addcdiv_(p, m, denom, n, -lr / bias1));
        }
        finally
        {
            foreach (var h in decayed ?? Array.Empty<IntPtr>()) N.ts_free(h);
            foreach (var h in denom ?? Array.Empty<IntPtr>()) N.ts_free(h);
        }
    }
}

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter); PyTorch's default λ = 0.01.</summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weight_decay = 0.01)
        : base(parameters, lr, betas, eps, weight_decay, decoupled: true) { }
}
