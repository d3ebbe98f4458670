namespace Course;

/// <summary>
/// A linear probe: multinomial logistic regression trained on frozen features, the standard yardstick of a learned
/// representation (how much of the label can a single linear layer read off it?). The features are standardised with
/// the training features' mean and standard deviation, the layer starts at zero (the problem is convex, so the start
/// only matters for speed), and it is trained with Adam on shuffled mini-batches (seeded <see cref="SplitMix64"/> order)
/// while the learning rate follows a cosine decay to zero.
/// </summary>
public sealed class LinearProbe : IDisposable
{
    private LinearProbe(Linear layer, Tensor mean, Tensor std, IReadOnlyList<double> epochLosses) =>
        (Layer, Mean, Std, EpochLosses) = (layer, mean, std, epochLosses);

    /// <summary>The logistic-regression layer (on standardised features).</summary>
    public Linear Layer { get; }
    public Tensor Mean { get; }
    public Tensor Std { get; }
    /// <summary>Mean training cross-entropy of each epoch.</summary>
    public IReadOnlyList<double> EpochLosses { get; }

    /// <param name="features">[N, D] frozen features (any floating type; the probe works in their dtype).</param>
    /// <param name="labels">[N] class ids in [0, numClasses).</param>
    /// <param name="weightDecay">L2 penalty of Adam (choose it on a validation split).</param>
    public static LinearProbe Fit(Tensor features, Tensor labels, int numClasses, int epochs = 20, double lr = 1e-3,
        double weightDecay = 0, int batchSize = 256, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2) throw new ArgumentException($"features must be [N, D], not [{string.Join(", ", features.shape)}].", nameof(features));
        if (labels.dim() != 1 || labels.size(0) != features.size(0))
            throw new ArgumentException($"labels must be [N] with N = {features.size(0)}, not [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "a classifier needs at least two classes.");
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "train for at least one epoch.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be positive.");
        if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "the learning rate must be positive.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "the weight decay cannot be negative.");
        using (var range = labels.to(torch.int64))
        using (var low = range.min()) using (var high = range.max())
            if (low.item<long>() < 0 || high.item<long>() >= numClasses)
                throw new ArgumentException($"labels must lie in [0, {numClasses}), found {low.item<long>()}..{high.item<long>()}.", nameof(labels));

        long n = features.size(0), d = features.size(1);
        var device = features.device;
        Tensor mean, std;
        using (torch.NewDisposeScope())   // the probe keeps these two: they belong to no scope
        {
            mean = features.detach().mean([0], keepdim: true).DetachFromDisposeScope();
            std = features.detach().std(0, unbiased: false, keepdim: true).clamp(min: 1e-6).DetachFromDisposeScope();
        }
        var layer = nn.Linear(d, numClasses);
        layer.to(features.dtype).to(device);
        using (torch.no_grad()) { layer.weight.zero_(); layer.bias!.zero_(); }

        using var x = ((features - mean) / std).detach();
        using var y = labels.to(torch.int64).to(device);
        using var optimizer = optim.Adam(layer.parameters(), lr: lr, weight_decay: weightDecay);
        var losses = FeatureEpochs.Run(layer.forward, x, y, optimizer, epochs, batchSize, seed);
        return new LinearProbe(layer, mean, std, losses);
    }

    /// <summary>Class scores [N, C] of features [N, D].</summary>
    public Tensor Logits(Tensor features)
    {
        if (features.dim() != 2 || features.size(1) != Mean.size(1))
            throw new ArgumentException($"the probe was fitted on features [N, {Mean.size(1)}], not [{string.Join(", ", features.shape)}].", nameof(features));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return Layer.forward((features.to(Mean.device).to(Mean.dtype) - Mean) / Std).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted class ids [N].</summary>
    public Tensor Predict(Tensor features)
    {
        using var logits = Logits(features);
        return logits.argmax(1);
    }

    /// <summary>Fraction of features whose predicted class equals its label.</summary>
    public double Accuracy(Tensor features, Tensor labels)
    {
        using var predictions = Predict(features);
        using var targets = labels.to(predictions.device);
        return Metrics.Accuracy(predictions, targets);
    }

    public void Dispose()
    {
        Layer.Dispose();
        Mean.Dispose();
        Std.Dispose();
    }
}
