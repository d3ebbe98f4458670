namespace Course.Compression;

/// <summary>
/// Pruned weights of a model and their 0/1 masks. Made by <see cref="MagnitudeUnstructured"/> or
/// <see cref="Structured"/>, which zero the pruned weights at once. Fine-tuning would grow them back (a zero weight
/// still gets a gradient, and momentum or weight decay move it), so call <see cref="Apply"/> after every optimizer step:
/// w ← w ⊙ m puts the zeros back, and the sparsity stays what it was. (PyTorch keeps the mask as a buffer, weight_mask,
/// and multiplies in a forward pre-hook; here the masks are held by this object, next to the model, and applied
/// after each step, which keeps the stored weights themselves sparse.)
/// </summary>
public sealed class PruningMasks : IDisposable
{
    private readonly List<(string name, Parameter weight, Tensor mask)> entries;

    private PruningMasks(List<(string, Parameter, Tensor)> entries)
    {
        this.entries = entries;
        Apply();
    }

    /// <summary>The pruned weights by name ("classifier.2.weight") with their masks.</summary>
    public IEnumerable<(string name, Parameter weight, Tensor mask)> Entries => entries;

    /// <summary>
    /// Removes the <paramref name="amount"/> (fraction) of weights of smallest |w| from the weight matrices of
    /// <paramref name="layers"/> (names of Linear or Conv2d layers; default all of them): ranked over all those weights
    /// together when <paramref name="global"/>, else the same fraction from each layer. Biases are kept.
    /// </summary>
    public static PruningMasks MagnitudeUnstructured(nn.Module model, double amount, bool global = true, IEnumerable<string>? layers = null)
    {
        var weights = Weights(model, layers);
        var masks = global
            ? Pruning.GlobalUnstructuredMasks(weights.Select(w => (Tensor)w.weight).ToList(), amount)
            : weights.Select(w => Pruning.L1UnstructuredMask(w.weight, amount)).ToList();
        return new PruningMasks(weights.Zip(masks, (w, m) => (w.name, w.weight, m.DetachFromDisposeScope())).ToList());
    }

    /// <summary>
    /// Removes the <paramref name="amount"/> (fraction) of output neurons (Linear) or output channels (Conv2d) of smallest
    /// L_n norm from each of <paramref name="layers"/> (default all): their whole weight rows become zero. The biases are
    /// kept, as in PyTorch's <c>ln_structured</c>; leave out the last layer, whose outputs are the classes.
    /// </summary>
    public static PruningMasks Structured(nn.Module model, double amount, double n = 2, IEnumerable<string>? layers = null)
    {
        var weights = Weights(model, layers);
        return new PruningMasks(weights.Select(w => (w.name, w.weight, Pruning.LnStructuredMask(w.weight, amount, n, 0).DetachFromDisposeScope())).ToList());
    }

    private static List<(string name, Parameter weight)> Weights(nn.Module model, IEnumerable<string>? layers)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = (layers ?? Pruning.PrunableLayers(model)).ToList();
        if (names.Count == 0) throw new ArgumentException($"{model.GetType().Name} has no layers to prune", nameof(layers));
        var list = new List<(string, Parameter)>();
        foreach (var name in names)
        {
            var layer = name.Length == 0 ? model : model.named_modules().Where(m => m.name == name).Select(m => m.module).FirstOrDefault()
                ?? throw new ArgumentException($"{model.GetType().Name} has no layer '{name}'", nameof(layers));
            var weight = layer switch
            {
#if !TORCHSHARP // not compiled against TorchSharp yet (lib/Course.TorchSharp)
                DynamicQuantizedLinear => throw new ArgumentException($"'{name}' is quantized; prune before quantizing", nameof(layers)),
#endif
                Linear l => l.weight,
                Conv2d c => c.weight,
                var other => throw new ArgumentException($"'{name}' is a {other.GetType().Name}; only Linear and Conv2d layers are pruned", nameof(layers)),
            };
            list.Add((name.Length == 0 ? "weight" : name + ".weight", weight));
        }
        return list;
    }

    /// <summary>w ← w ⊙ m for every pruned weight: call after each optimizer step.</summary>
    public void Apply()
    {
        using var _ = no_grad();
        foreach (var (_, weight, mask) in entries) weight.mul_(mask);
    }

    /// <summary>Fraction of the pruned tensors' weights that are zero now (at least the masked fraction).</summary>
    public double Sparsity => Pruning.Sparsity(entries.Select(e => (Tensor)e.weight));

    /// <summary>Fraction of the pruned tensors' weights the masks remove.</summary>
    public double MaskedFraction
    {
        get
        {
            using var _ = no_grad();
            double removed = 0, total = 0;
            foreach (var (_, _, mask) in entries)
            {
                using var kept = mask.sum();
                removed += mask.numel() - kept.ToDouble();
                total += mask.numel();
            }
            return removed / total;
        }
    }

    public void Dispose() { foreach (var (_, _, mask) in entries) mask.Dispose(); }
}
