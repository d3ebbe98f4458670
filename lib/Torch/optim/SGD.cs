using N = Torch.Interop.Native;
using static Torch.torch.nn;

namespace Torch.Optimizers;

/// <summary>
/// Stochastic gradient descent, as PyTorch defines it:
/// g ← ∇ + λθ;  b ← μb + (1−τ)g (b = g on the first step);  g ← g + μb (Nesterov) or b;  θ ← θ − ηg.
/// </summary>
public sealed class SGD : Optimizer
{
    public double momentum { get; }
    public double dampening { get; }
    public double weight_decay { get; }
    public bool nesterov { get; }
    private IntPtr[]? buffers;

    public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false) : base(parameters, lr)
    {
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        (this.momentum, this.dampening, this.weight_decay, this.nesterov) = (momentum, dampening, weight_decay, nesterov);
    }

    protected override void Update(int[]? active, IntPtr[] allGrads)
    {
        var p = Params(active);
        var g = Select(allGrads, active);
        int n = p.Length;
        var owned = new List<IntPtr[]>();
        try
        {
            if (weight_decay != 0) { g = Sum(g, p, n, weight_decay); owned.Add(g); }
            if (momentum != 0)
            {
                bool first = buffers is null;
                buffers ??= NewState();
                var b = Select(buffers, active);
                if (first) N.Check(N.ts_foreach_copy_(b, g, n));
                else
                {
                    N.Check(N.ts_foreach_mul_scalar_(b, n, momentum));
                    N.Check(N.ts_foreach_add_(b, g, n, 1 - dampening));
                }
                if (nesterov) { g = Sum(g, b, n, momentum); owned.Add(g); }
                else g = b;
            }
            N.Check(N.ts_foreach_add_(p, g, n, -lr));
        }
        finally
        {
            foreach (var list in owned) foreach (var h in list) N.ts_free(h);
        }
    }

    // a + alpha * b as new tensors
    private static IntPtr[] Sum(IntPtr[] a, IntPtr[] b, int n, double alpha)
    {
        var r = new IntPtr[n];
        N.Check(N.ts_foreach_add(a, b, n, alpha, r));
        return r;
    }
}
