namespace Course;

/// <summary>
/// Runs a frozen encoder over a whole data set, batch by batch, with no graph recorded: the features [N, D] (on the CPU)
/// that a linear probe or k-NN then reads. The caller puts the model in eval mode first.
/// </summary>
public static class FrozenFeatures
{
    public static Tensor Extract(Func<Tensor, Tensor> encode, TensorDataset data, Device? device = null,
        Func<Tensor, Tensor>? transform = null, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(encode);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be positive.");
        var parts = new List<Tensor>();
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var batch in new DataLoader(data, batchSize, device: device, transform: transform))
            {
                using var scope = torch.NewDisposeScope();
                var features = encode(batch.x);
                if (features.dim() != 2) throw new InvalidOperationException($"the encoder must return features [B, D], not [{string.Join(", ", features.shape)}].");
                parts.Add(features.cpu().DetachFromDisposeScope());
            }
            return torch.cat(parts, 0);
        }
        finally { foreach (var p in parts) p.Dispose(); }
    }
}
