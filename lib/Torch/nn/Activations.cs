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
        : base(x => functional.max_pool2d(x, kernel_size, stride, padding), "MaxPool2d", $"kernel_size={kernel_size}, stride={stride ?? kernel_size}, padding={padding}")
        => (this.kernel_size, this.stride, this.padding) = (kernel_size, stride ?? kernel_size, padding);
    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
}

public sealed class AvgPool2d : Lambda
{
    public AvgPool2d(long kernel_size, long? stride = null, long padding = 0)
        : base(x => functional.avg_pool2d(x, kernel_size, stride, padding), "AvgPool2d", $"kernel_size={kernel_size}, stride={stride ?? kernel_size}, padding={padding}")
        => (this.kernel_size, this.stride, this.padding) = (kernel_size, stride ?? kernel_size, padding);
    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
}

/// <summary>Merges dimensions start_dim .. end_dim into one.</summary>
public sealed class Flatten : Lambda
{
    public Flatten(long start_dim = 1, long end_dim = -1)
        : base(x => x.flatten(start_dim, end_dim), "Flatten", $"start_dim={start_dim}, end_dim={end_dim}")
        => (this.start_dim, this.end_dim) = (start_dim, end_dim);
    public long start_dim { get; }
    public long end_dim { get; }
}
