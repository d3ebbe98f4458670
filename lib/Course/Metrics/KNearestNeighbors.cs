namespace Course;

/// <summary>
/// k-nearest-neighbour classification by cosine similarity: a query takes the most common label among the k stored
/// features most similar to it (a tie goes to the smallest class id, as in scikit-learn). It needs no training, so it
/// measures directly whether images of one class lie close together in the feature space.
/// </summary>
public sealed class KNearestNeighbors : IDisposable
{
    private readonly Tensor _unit;     // [N, D] stored features scaled to unit length
    private readonly Tensor _labels;   // [N]

    /// <param name="features">[N, D] reference features.</param>
    /// <param name="labels">[N] their class ids in [0, numClasses).</param>
    public KNearestNeighbors(Tensor features, Tensor labels, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2) throw new ArgumentException($"features must be [N, D], not [{string.Join(", ", features.shape)}].", nameof(features));
        if (labels.dim() != 1 || labels.size(0) != features.size(0))
            throw new ArgumentException($"labels must be [N] with N = {features.size(0)}, not [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "there must be at least one class.");
        NumClasses = numClasses;
        using (torch.NewDisposeScope())   // the stored tensors belong to no scope
        {
            _unit = F.normalize(features.detach(), dim: 1).DetachFromDisposeScope();
            _labels = labels.to(torch.int64).to(features.device).DetachFromDisposeScope();
        }
        using var low = _labels.min();
        using var high = _labels.max();
        if (low.item<long>() < 0 || high.item<long>() >= numClasses)
            throw new ArgumentException($"labels must lie in [0, {numClasses}), found {low.item<long>()}..{high.item<long>()}.", nameof(labels));
    }

    public int NumClasses { get; }
    public long Count => _unit.size(0);

    /// <summary>Indexes [Q, k] of each query's k most similar stored features, most similar first.</summary>
    public Tensor Neighbors(Tensor queries, int k, int chunk = 1024)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.dim() != 2 || queries.size(1) != _unit.size(1))
            throw new ArgumentException($"queries must be [Q, {_unit.size(1)}], not [{string.Join(", ", queries.shape)}].", nameof(queries));
        if (k < 1 || k > Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{Count} (the stored features).");
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < queries.size(0); start += chunk)
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                var q = F.normalize(queries.narrow(0, start, Math.Min(chunk, queries.size(0) - start)).to(_unit.device).to(_unit.dtype), dim: 1);
                var similarity = q.matmul(_unit.t());                        // cosine similarities [q, N]
                parts.Add(similarity.topk(k, 1).indexes.MoveToOuterDisposeScope());
            }
            return torch.cat(parts, 0);
        }
        finally { foreach (var p in parts) p.Dispose(); }
    }

    /// <summary>Majority label [Q] of each query's k nearest neighbours.</summary>
    public Tensor Predict(Tensor queries, int k)
    {
        using var scope = torch.NewDisposeScope();
        var neighbors = Neighbors(queries, k);                               // [Q, k]
        var votes = F.one_hot(_labels.index_select(0, neighbors.flatten()), NumClasses).view(neighbors.size(0), k, NumClasses).sum(1);   // [Q, C]
        return votes.argmax(1).MoveToOuterDisposeScope();                    // the first maximum: ties go to the smaller class id
    }

    /// <summary>Fraction of queries whose k-NN prediction equals its label.</summary>
    public double Accuracy(Tensor queries, Tensor labels, int k)
    {
        using var predictions = Predict(queries, k);
        using var targets = labels.to(predictions.device);
        return Metrics.Accuracy(predictions, targets);
    }

    public void Dispose()
    {
        _unit.Dispose();
        _labels.Dispose();
    }
}
