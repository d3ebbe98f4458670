using Torch.Interop;
using static Torch.torch;
using static Torch.torch.nn;
using static Torch.torch.optim;

namespace Torch.Modules;

/// <summary>
/// AdaGrad (Duchi, Hazan and Singer), with PyTorch's update:
/// g ← ∇ + λθ;  s ← s + g²;  θ ← θ − η/(1 + (t−1)·lr_decay) · g / (√s + ε).
/// s starts at initial_accumulator_value. As in PyTorch (state['step']), t counts the updates of
/// each parameter: a parameter without a gradient skips a step, and its learning-rate decay lags behind.
/// </summary>
public sealed class Adagrad : Optimizer
{
    public double lr_decay { get; }
    public double weight_decay { get; }
    public double initial_accumulator_value { get; }
    public double eps { get; }
    private readonly long[] steps;  // per parameter: the updates it has had (t)
    private TensorList? sums;

    public Adagrad(IEnumerable<Parameter> parameters, double lr = 1e-2, double lr_decay = 0, double weight_decay = 0, double initial_accumulator_value = 0, double eps = 1e-10)
        : base(parameters, lr)
    {
        if (lr_decay < 0) throw new ArgumentOutOfRangeException(nameof(lr_decay), lr_decay, "lr_decay must be >= 0");
        if (weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "weight_decay must be >= 0");
        if (initial_accumulator_value < 0) throw new ArgumentOutOfRangeException(nameof(initial_accumulator_value), initial_accumulator_value, "initial_accumulator_value must be >= 0");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be >= 0");
        (this.lr_decay, this.weight_decay, this.initial_accumulator_value, this.eps) = (lr_decay, weight_decay, initial_accumulator_value, eps);
        steps = new long[this.parameters.Length];
    }

    private protected override void Update(int[] active, TensorList p, TensorList g)
    {
        sums ??= NewState(initial_accumulator_value);
        using var s = sums.Select(active);
        var stepSize = new double[active.Length];          // −η / (1 + (t−1)·lr_decay)
        for (int k = 0; k < active.Length; k++)
        {
            long t = ++steps[active[k]];
            stepSize[k] = -lr / (1 + (t - 1) * lr_decay);
        }

        using var decayed = weight_decay != 0 ? g.add(p, weight_decay) : null;
        var grad = decayed ?? g;
        s.addcmul_(grad, grad, 1);
        using var std = s.sqrt();
        std.add_(eps);
        p.addcdiv_(grad, std, stepSize);
    }
}
