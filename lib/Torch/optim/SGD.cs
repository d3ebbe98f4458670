using Torch.Interop;
using static Torch.torch;
using static Torch.torch.nn;
using static Torch.torch.optim;

namespace Torch.Modules;

/// <summary>
/// Stochastic gradient descent, as PyTorch defines it:
/// g ← ∇ + λθ;  b ← μb + (1−τ)g (b = g on the parameter's first update);  g ← g + μb (Nesterov) or b;  θ ← θ − ηg.
/// </summary>
public sealed class SGD : Optimizer
{
    public double momentum { get; }
    public double dampening { get; }
    public double weight_decay { get; }
    public bool nesterov { get; }
    private TensorList? buffers;
    private bool[]? started;  // per parameter: whether its buffer holds a first gradient yet

    public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false) : base(parameters, lr)
    {
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        (this.momentum, this.dampening, this.weight_decay, this.nesterov) = (momentum, dampening, weight_decay, nesterov);
    }

    private protected override void Update(int[] active, TensorList p, TensorList g)
    {
        using var decayed = weight_decay != 0 ? g.add(p, weight_decay) : null;
        var grad = decayed ?? g;
        if (momentum == 0)
        {
            p.add_(grad, -lr);
            return;
        }
        buffers ??= NewState();
        started ??= new bool[parameters.Length];
        using var b = buffers.Select(active);
        b.mul_(momentum).add_(grad, 1 - dampening);
        int[] first = Enumerable.Range(0, active.Length).Where(k => !started[active[k]]).ToArray();
        if (first.Length > 0)
        {
            using var firstBuffers = b.Select(first);
            using var firstGrads = grad.Select(first);
            firstBuffers.copy_(firstGrads);
            foreach (int k in first) started[active[k]] = true;
        }
        using var lookahead = nesterov ? grad.add(b, momentum) : null;
        p.add_(lookahead ?? b, -lr);
    }
}
