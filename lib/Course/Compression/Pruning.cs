namespace Course.Compression;

/// <summary>
/// Pruning masks, as PyTorch's <c>torch.nn.utils.prune</c> computes them (1 keeps a weight, 0 removes it):
/// unstructured magnitude pruning removes the individual weights of smallest |w| (<see cref="L1UnstructuredMask"/>, per
/// tensor, or <see cref="GlobalUnstructuredMasks"/>, ranked over several tensors together); structured pruning removes
/// whole slices, e.g. output neurons of a linear layer or output channels of a convolution, those of smallest L_n norm
/// (<see cref="LnStructuredMask"/>). How many: an amount in [0, 1] is a fraction of the candidates, rounded to the
/// nearest count with ties to even (Python's round, as PyTorch); a whole number is a count.
/// <para>Ties: among equal magnitudes (or norms), which are removed is not specified (here the order of a sort, in
/// PyTorch that of <c>topk</c>); the number removed is always exact.</para>
/// <see cref="PruningMasks"/> applies masks to a model and keeps the zeros through fine-tuning.
/// </summary>
public static class Pruning
{
    /// <summary>How many of <paramref name="size"/> candidates an amount prunes: round(amount · size), ties to even.</summary>
    public static long PruneCount(double amount, long size)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), size, "a size cannot be negative");
        if (!(amount >= 0 && amount <= 1)) throw new ArgumentOutOfRangeException(nameof(amount), amount, "the amount to prune is a fraction in [0, 1] (or use a count)");
        return (long)Math.Round(amount * size, MidpointRounding.ToEven);
    }

    private static long CheckCount(long count, long size) =>
        count < 0 || count > size ? throw new ArgumentOutOfRangeException(nameof(count), count, $"cannot prune {count} of {size}") : count;

    /// <summary>A 0/1 mask of the scores' shape, 0 at the <paramref name="count"/> smallest scores.</summary>
    private static Tensor DropSmallest(Tensor scores, long count, ScalarType dtype)
    {
        using var flat = scores.detach().reshape(-1);
        using var order = flat.argsort();           // position of each rank
        using var rank = order.argsort();           // rank of each position
        using var keep = rank.ge((double)count);
        using var mask = keep.to(dtype);
        return mask.reshape(scores.shape);
    }

    /// <summary>Mask removing the <paramref name="amount"/> (fraction) of weights of smallest |w|, as <c>prune.l1_unstructured</c>.</summary>
    public static Tensor L1UnstructuredMask(Tensor weight, double amount)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return L1UnstructuredMask(weight, PruneCount(amount, weight.numel()));
    }

    /// <summary>Mask removing the <paramref name="count"/> weights of smallest |w|.</summary>
    public static Tensor L1UnstructuredMask(Tensor weight, long count)
    {
        ArgumentNullException.ThrowIfNull(weight);
        CheckCount(count, weight.numel());
        using var _ = no_grad();
        using var magnitude = weight.detach().abs();
        return DropSmallest(magnitude, count, weight.dtype);
    }

    /// <summary>
    /// Masks removing the <paramref name="amount"/> of weights of smallest |w| ranked over all tensors together, as
    /// <c>prune.global_unstructured</c> with L1Unstructured: a layer of small weights loses more than one of large weights.
    /// </summary>
    public static IReadOnlyList<Tensor> GlobalUnstructuredMasks(IReadOnlyList<Tensor> weights, double amount)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0) throw new ArgumentException("give at least one tensor to prune", nameof(weights));
        long total = weights.Sum(w => w.numel());
        long count = PruneCount(amount, total);
        using var _ = no_grad();
        var flats = weights.Select(w => w.detach().abs().reshape(-1).to(ScalarType.Float64)).ToList();
        using var all = cat(flats);
        foreach (var f in flats) f.Dispose();
        using var mask = DropSmallest(all, count, ScalarType.Float64);
        var masks = new List<Tensor>();
        long offset = 0;
        foreach (var w in weights)
        {
            using var part = mask.narrow(0, offset, w.numel());
            masks.Add(part.reshape(w.shape).to(w.dtype));
            offset += w.numel();
        }
        return masks;
    }

    /// <summary>
    /// Mask removing the <paramref name="amount"/> of slices along <paramref name="dim"/> (dim 0: output neurons or
    /// channels) of smallest L_n norm, each norm taken over all other dimensions, as <c>prune.ln_structured</c>.
    /// </summary>
    public static Tensor LnStructuredMask(Tensor weight, double amount, double n = 2, long dim = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        long d = dim < 0 ? dim + weight.dim() : dim;
        if (d < 0 || d >= weight.dim()) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"a weight of shape [{string.Join(", ", weight.shape)}] has no dimension {dim}");
        return LnStructuredMask(weight, PruneCount(amount, weight.size((int)d)), n, d);
    }

    /// <summary>Mask removing the <paramref name="count"/> slices along <paramref name="dim"/> of smallest L_n norm.</summary>
    public static Tensor LnStructuredMask(Tensor weight, long count, double n, long dim)
    {
        ArgumentNullException.ThrowIfNull(weight);
        long d = dim < 0 ? dim + weight.dim() : dim;
        if (d < 0 || d >= weight.dim()) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"a weight of shape [{string.Join(", ", weight.shape)}] has no dimension {dim}");
        if (!(n > 0)) throw new ArgumentOutOfRangeException(nameof(n), n, "the norm's order must be positive");
        CheckCount(count, weight.size((int)d));
        using var _ = no_grad();
        var others = Enumerable.Range(0, (int)weight.dim()).Where(i => i != d).Select(i => (long)i).ToArray();
        using var w = weight.detach();
        using var norms = others.Length == 0 ? w.abs() : linalg.vector_norm(w, n, others);
        using var slices = DropSmallest(norms, count, weight.dtype);
        var shape = Enumerable.Repeat(1L, (int)weight.dim()).ToArray();
        shape[d] = weight.size((int)d);
        using var column = slices.reshape(shape);
        using var expanded = column.expand(weight.shape);
        return expanded.contiguous();
    }

    /// <summary>Fraction of the elements that are exactly zero, over all the tensors.</summary>
    public static double Sparsity(IEnumerable<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        long zeros = 0, total = 0;
        using var _ = no_grad();
        foreach (var t in tensors)
        {
            using var isZero = t.eq(0.0);
            using var count = isZero.sum();
            zeros += count.item<long>();
            total += t.numel();
        }
        if (total == 0) throw new ArgumentException("no elements to measure", nameof(tensors));
        return (double)zeros / total;
    }

    /// <summary>The layers pruning applies to by default: every <see cref="Linear"/> and <see cref="Conv2d"/>, by name.</summary>
    public static IReadOnlyList<string> PrunableLayers(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_modules().Where(m => m.module is Linear or Conv2d).Select(m => m.name).ToList();
    }
}
