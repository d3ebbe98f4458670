namespace Course;

/// <summary>
/// Cross-entropy training on tensors already in memory (features and labels, no loader): seeded shuffled mini-batches,
/// a cosine learning-rate decay to zero over all steps. Used by the small fitted heads (linear probe, Tip-Adapter-F).
/// </summary>
internal static class FeatureEpochs
{
    /// <summary>Trains for <paramref name="epochs"/> passes over (x [N, D], y [N]); returns each epoch's mean loss.</summary>
    public static List<double> Run(Func<Tensor, Tensor> forward, Tensor x, Tensor y, optim.Optimizer optimizer, int epochs, int batchSize, int seed)
    {
        long n = x.size(0);
        int steps = (int)((n + batchSize - 1) / batchSize);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max: (long)epochs * steps);
        var random = new SplitMix64(seed);
        var losses = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using var order = tensor(Shuffle.Permutation(n, random)).to(x.device);
            double total = 0;
            for (int s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                long start = (long)s * batchSize, count = Math.Min(batchSize, n - start);
                var index = order.narrow(0, start, count);
                var loss = F.cross_entropy(forward(x.index_select(0, index)), y.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                schedule.step();
                total += loss.ToDouble() * count;
            }
            losses.Add(total / n);
        }
        return losses;
    }
}
