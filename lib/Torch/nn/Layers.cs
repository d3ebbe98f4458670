using static Torch.torch;
using static Torch.torch.nn;

namespace Torch.Modules;

/// <summary>y = x Wᵀ + b. W and b start uniform in ±1/√in_features, as in PyTorch.</summary>
public class Linear : Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    public readonly Parameter? bias;
    public long in_features { get; }
    public long out_features { get; }

    /// <summary>A layer over existing parameters (for layers that extend a linear map, such as LoRA's).</summary>
    protected Linear(Parameter weight, Parameter? bias)
    {
        if (weight.dim() != 2) throw new ArgumentException($"a linear weight is (out_features, in_features); got [{string.Join(", ", weight.shape)}]");
        if (bias is not null && (bias.dim() != 1 || bias.size(0) != weight.size(0)))
            throw new ArgumentException($"a linear bias is ({weight.size(0)}); got [{string.Join(", ", bias.shape)}]");
        (this.weight, this.bias, out_features, in_features) = (weight, bias, weight.size(0), weight.size(1));
    }

    public Linear(long in_features, long out_features, bool bias = true, Device? device = null)
    {
        this.in_features = in_features; this.out_features = out_features;
        double bound = 1 / Math.Sqrt(in_features);
        using var scope = NewDisposeScope();
        weight = new Parameter(empty(new[] { out_features, in_features }, device: device).uniform_(-bound, bound));
        if (bias) this.bias = new Parameter(empty(new[] { out_features }, device: device).uniform_(-bound, bound));
    }

    public override Tensor forward(Tensor x) => functional.linear(x, weight, bias);
    public override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={bias is not null}";
}

/// <summary>
/// 2-D convolution. On CPU, inputs and weights are kept channels_last, which oneDNN runs ~7x faster
/// than NCHW on our machines (the result is the same) — except for a single input channel, where a
/// channels_last weight sends libtorch 1.13 to a slow kernel (~50x slower, measured), so it stays NCHW.
/// </summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    public readonly Parameter? bias;
    public long in_channels { get; }
    public long out_channels { get; }
    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
    public long dilation { get; }
    public long groups { get; }

    public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true, Device? device = null)
    {
        if (in_channels % groups != 0 || out_channels % groups != 0) throw new ArgumentException($"in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups})");
        (this.in_channels, this.out_channels, this.kernel_size, this.stride, this.padding, this.dilation, this.groups) = (in_channels, out_channels, kernel_size, stride, padding, dilation, groups);
        double bound = 1 / Math.Sqrt(in_channels / groups * kernel_size * kernel_size);
        using var scope = NewDisposeScope();
        var w = empty(new[] { out_channels, in_channels / groups, kernel_size, kernel_size }, device: device).uniform_(-bound, bound);
        weight = new Parameter(w.is_cuda || in_channels / groups == 1 ? w : w.channels_last());
        if (bias) this.bias = new Parameter(empty(new[] { out_channels }, device: device).uniform_(-bound, bound));
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dim() == 4 && !x.is_cuda && !x.is_channels_last())
        {
            using var cl = x.channels_last();
            return functional.conv2d(cl, weight, bias, [stride], [padding], [dilation], groups);
        }
        return functional.conv2d(x, weight, bias, [stride], [padding], [dilation], groups);
    }

    public override string extra_repr() => $"{in_channels}, {out_channels}, kernel_size=({kernel_size}, {kernel_size}), stride=({stride}, {stride})" + (padding != 0 ? $", padding=({padding}, {padding})" : "");
}

/// <summary>Batch normalization over the channel dimension (dim 1) of (N, C) or (N, C, ...) inputs.</summary>
public class BatchNorm : Module<Tensor, Tensor>
{
    public readonly Parameter? weight, bias;
    public readonly Tensor? running_mean, running_var, num_batches_tracked;
    public long num_features { get; }
    public double eps { get; }
    public double momentum { get; }

    public BatchNorm(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null)
    {
        (this.num_features, this.eps, this.momentum) = (num_features, eps, momentum);
        using var scope = NewDisposeScope();
        if (affine)
        {
            weight = new Parameter(ones(new[] { num_features }, device: device));
            bias = new Parameter(zeros(new[] { num_features }, device: device));
        }
        if (track_running_stats)
        {
            register_buffer("running_mean", running_mean = zeros(new[] { num_features }, device: device));
            register_buffer("running_var", running_var = ones(new[] { num_features }, device: device));
            register_buffer("num_batches_tracked", num_batches_tracked = zeros(Array.Empty<long>(), int64, device));
        }
    }

    public override Tensor forward(Tensor x)
    {
        bool useBatchStats = training || running_mean is null;
        if (training && num_batches_tracked is not null)
            using (no_grad()) num_batches_tracked.add_(1L);
        return functional.batch_norm(x, running_mean, running_var, weight, bias, useBatchStats, momentum, eps);
    }

    public override string extra_repr() => $"{num_features}, eps={eps}, momentum={momentum}";
}

public sealed class BatchNorm1d : BatchNorm { public BatchNorm1d(long n, double eps = 1e-5, double momentum = 0.1, bool affine = true, Device? device = null) : base(n, eps, momentum, affine, true, device) { } }
public sealed class BatchNorm2d : BatchNorm { public BatchNorm2d(long n, double eps = 1e-5, double momentum = 0.1, bool affine = true, Device? device = null) : base(n, eps, momentum, affine, true, device) { } }

/// <summary>Normalizes the last dimensions to zero mean and unit variance, then scales and shifts.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    public readonly Parameter? weight, bias;
    public long[] normalized_shape { get; }
    public double eps { get; }

    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null)
    {
        (this.normalized_shape, this.eps) = (normalized_shape, eps);
        using var scope = NewDisposeScope();
        if (elementwise_affine)
        {
            weight = new Parameter(ones(normalized_shape, device: device));
            bias = new Parameter(zeros(normalized_shape, device: device));
        }
    }

    public override Tensor forward(Tensor x) => functional.layer_norm(x, normalized_shape, weight, bias, eps);
    public override string extra_repr() => $"({string.Join(", ", normalized_shape)},), eps={eps}";
}

/// <summary>A lookup table of num_embeddings vectors, initialised N(0, 1).</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    public long padding_idx { get; }

    public Embedding(long num_embeddings, long embedding_dim, long padding_idx = -1, Device? device = null)
    {
        this.padding_idx = padding_idx;
        using var scope = NewDisposeScope();
        var w = randn(new[] { num_embeddings, embedding_dim }, device: device);
        if (padding_idx >= 0) w[padding_idx].zero_();
        weight = new Parameter(w);
    }

    public override Tensor forward(Tensor indices) => functional.embedding(indices, weight, padding_idx);
    public override string extra_repr() => $"{weight.size(0)}, {weight.size(1)}";
}

public sealed class Dropout : Module<Tensor, Tensor>
{
    public double p { get; }
    public Dropout(double p = 0.5) { if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1"); this.p = p; }
    public override Tensor forward(Tensor x) => functional.dropout(x, p, training);
    public override string extra_repr() => $"p={p}";
}

/// <summary>Applies its modules one after the other; they are named "0", "1", ...</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> layers = new();

    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        foreach (var m in modules) append(m);
    }

    public Sequential append(Module<Tensor, Tensor> m) { register_module(layers.Count.ToString(), m); layers.Add(m); return this; }

    protected override void child_replacing(string name, Module old, Module replacement)
        => layers[int.Parse(name)] = replacement as Module<Tensor, Tensor>
           ?? throw new ArgumentException($"Sequential holds modules with one tensor input and output; a {replacement.GetType().Name} is not one");
    public int Count => layers.Count;
    public Module<Tensor, Tensor> this[int i] => layers[i];

    public override Tensor forward(Tensor x)
    {
        if (layers.Count == 0) return x.alias();
        // intermediate activations are freed as soon as the next layer has consumed them
        // (autograd keeps what it needs for backward on its own)
        var h = layers[0].forward(x);
        for (int i = 1; i < layers.Count; i++)
        {
            var next = layers[i].forward(h);
            if (!ReferenceEquals(h, x) && !ReferenceEquals(next, h)) h.Dispose();
            h = next;
        }
        return h;
    }
}

/// <summary>
/// A list of modules of one type, registered as "0", "1", ... (for models that loop over blocks):
/// <c>foreach (var block in blocks) x = block.forward(x);</c> and <c>blocks[^1]</c> are typed, with no casts.
/// </summary>
public class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> items = new();
    public ModuleList(params T[] modules) { foreach (var m in modules) append(m); }
    public ModuleList(IEnumerable<T> modules) { foreach (var m in modules) append(m); }
    public ModuleList<T> append(T module)
    {
        ArgumentNullException.ThrowIfNull(module);
        register_module(items.Count.ToString(), module);
        items.Add(module);
        return this;
    }
    public int Count => items.Count;
    public T this[int i] => items[i];

    protected override void child_replacing(string name, Module old, Module replacement)
        => items[int.Parse(name)] = replacement as T ?? throw new ArgumentException($"this ModuleList holds {typeof(T).Name}; a {replacement.GetType().Name} is not one");
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A list of modules of any type.</summary>
public sealed class ModuleList : ModuleList<Module>
{
    public ModuleList(params Module[] modules) : base(modules) { }
}
