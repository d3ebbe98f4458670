using static Torch.torch;
using static Torch.torch.nn;

namespace Torch.Modules;

/// <summary>A stateless layer defined by one function (ReLU, GELU, Flatten...).</summary>
public class Lambda : Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> fn;
    private readonly string repr;
    public Lambda(Func<Tensor, Tensor> fn, string name, string repr = "") { this.fn = fn; Name = name; this.repr = repr; }
    public string Name { get; }
    public override Tensor forward(Tensor x) => fn(x);
    public override string extra_repr() => repr;
    public override string ToString() => $"{Name}({repr})";
}

public sealed class MaxPool2d : Lambda
{
    public MaxPool2d(long kernel_size, long? stride = null, long padding = 0)
        : base(x => functional.max_pool2d(x, kernel_size, stride, padding), "MaxPool2d", $"kernel_size={kernel_size}, stride={stride ?? kernel_size}, padding={padding}") { }
}

public sealed class AvgPool2d : Lambda
{
    public AvgPool2d(long kernel_size, long? stride = null, long padding = 0)
        : base(x => functional.avg_pool2d(x, kernel_size, stride, padding), "AvgPool2d", $"kernel_size={kernel_size}, stride={stride ?? kernel_size}, padding={padding}") { }
}
