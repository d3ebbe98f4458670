namespace Course;

/// <summary>
/// Examples held as two tensors whose first dimension indexes the examples: inputs (images, token ids...) and
/// targets (labels, next tokens...). The dataset owns its two tensors; Dispose frees them.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.dim() == 0 || targets.dim() == 0)
            throw new ArgumentException("inputs and targets need a first dimension that indexes the examples (they are scalars).");
        if (inputs.size(0) != targets.size(0))
            throw new ArgumentException($"inputs hold {inputs.size(0)} examples but targets hold {targets.size(0)}; the first dimensions must match.");
        Inputs = inputs.DetachFromDisposeScope();
        Targets = targets.DetachFromDisposeScope();
    }

    public Tensor Inputs { get; }
    public Tensor Targets { get; }

    /// <summary>Number of examples.</summary>
    public long Count => Inputs.size(0);

    /// <summary>The first <paramref name="n"/> examples (all of them when there are fewer), as a new dataset sharing memory with this one.</summary>
    public TensorDataset Take(long n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "the number of examples to take cannot be negative.");
        long m = Math.Min(n, Count);
        return new TensorDataset(Inputs.narrow(0, 0, m), Targets.narrow(0, 0, m));
    }

    /// <summary>The examples at these indexes, in this order (a copy).</summary>
    public TensorDataset Select(long[] indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        foreach (var i in indexes)
            if (i < 0 || i >= Count) throw new ArgumentOutOfRangeException(nameof(indexes), i, $"index {i} is outside the dataset (0..{Count - 1}).");
        using var index = torch.tensor(indexes, device: Inputs.device);
        return new TensorDataset(Inputs.index_select(0, index), Targets.index_select(0, index));
    }

    /// <summary>A copy on another device (for example the GPU, so batches need no transfer).</summary>
    public TensorDataset To(Device device) => new(Inputs.to(device), Targets.to(device));

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }

    public override string ToString() =>
        $"TensorDataset({Count} examples: inputs {Inputs.dtype.ToString().ToLowerInvariant()} [{string.Join(", ", Inputs.shape)}], targets {Targets.dtype.ToString().ToLowerInvariant()} [{string.Join(", ", Targets.shape)}])";
}
