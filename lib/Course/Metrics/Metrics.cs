namespace Course;

/// <summary>Single-number metrics: accuracy, top-k accuracy, exact match and perplexity.</summary>
public static class Metrics
{
    /// <summary>
    /// Fraction of predictions equal to the targets. <paramref name="predictions"/> are class ids [N] or scores
    /// [N, C] (the highest score is the prediction); <paramref name="targets"/> are class ids [N].
    /// </summary>
    public static double Accuracy(Tensor predictions, Tensor targets)
    {
        using var ids = ClassIds(predictions, targets);
        using var equal = ids.eq(targets);
        using var asFloat = equal.to(torch.float64);
        using var mean = asFloat.mean();
        return mean.ToDouble();
    }

    /// <summary>
    /// Top-k accuracy: the fraction of examples whose true class is among the <paramref name="k"/> highest of its
    /// scores [N, C]. Ties are broken as scikit-learn's top_k_accuracy_score breaks them (the higher class id first).
    /// </summary>
    public static double TopKAccuracy(Tensor scores, Tensor targets, int k)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(targets);
        if (scores.dim() != 2) throw new ArgumentException($"scores must be [N, C], not shape [{string.Join(", ", scores.shape)}].", nameof(scores));
        if (targets.dim() != 1 || targets.size(0) != scores.size(0))
            throw new ArgumentException($"targets must be class ids [{scores.size(0)}], not shape [{string.Join(", ", targets.shape)}].", nameof(targets));
        int n = (int)scores.size(0), classes = (int)scores.size(1);
        if (n == 0) throw new ArgumentException("there are no examples.", nameof(targets));
        if (k < 1 || k > classes) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be 1 .. {classes} (the number of classes).");
        using var s64 = scores.detach().to(torch.float64).cpu();
        using var t64 = targets.to(torch.int64).cpu();
        var s = s64.data<double>().ToArray();
        var t = t64.data<long>().ToArray();
        int hits = 0;
        for (int i = 0; i < n; i++)
        {
            if (t[i] < 0 || t[i] >= classes) throw new ArgumentException($"target {i} is class {t[i]}, outside 0 .. {classes - 1}.", nameof(targets));
            double own = s[i * classes + t[i]];
            int rank = 0;   // classes ranked above the true one
            for (int c = 0; c < classes; c++)
            {
                double other = s[i * classes + c];
                if (other > own || (other == own && c > t[i])) rank++;
            }
            if (rank < k) hits++;
        }
        return (double)hits / n;
    }

    /// <summary>
    /// Perplexity from the probability the model gave each of the N tokens of a text W:
    /// PP(W) = P(W)^(−1/N) = (Π 1/p(wᵢ | w₁..wᵢ₋₁))^(1/N), computed as exp(−(1/N) Σ log pᵢ) so long texts do not underflow.
    /// </summary>
    public static double PerplexityOf(IReadOnlyList<double> tokenProbabilities)
    {
        ArgumentNullException.ThrowIfNull(tokenProbabilities);
        if (tokenProbabilities.Count == 0) throw new ArgumentException("there are no token probabilities.", nameof(tokenProbabilities));
        foreach (var p in tokenProbabilities)
            if (!(p > 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(tokenProbabilities), p, "each token probability must be in (0, 1].");
        return Math.Exp(-tokenProbabilities.Average(Math.Log));
    }

    /// <summary>Fraction of predicted strings identical to their reference (ordinal comparison, nothing normalised).</summary>
    public static double ExactMatch(IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(references);
        if (predictions.Count != references.Count)
            throw new ArgumentException($"{predictions.Count} predictions but {references.Count} references; they are compared pairwise.");
        if (predictions.Count == 0) throw new ArgumentException("there is nothing to compare (no predictions).", nameof(predictions));
        return (double)predictions.Zip(references).Count(p => string.Equals(p.First, p.Second, StringComparison.Ordinal)) / predictions.Count;
    }

    /// <summary>exp(mean cross-entropy in nats): the number of equally likely choices the model is as unsure as.</summary>
    public static double Perplexity(double meanNats)
    {
        if (!(meanNats >= 0)) throw new ArgumentOutOfRangeException(nameof(meanNats), meanNats, "a mean cross-entropy is a non-negative number of nats.");
        return Math.Exp(meanNats);
    }

    /// <summary>
    /// The baseline a sequence model must beat: the mean cross-entropy (nats per token) on <paramref name="evaluated"/> of a
    /// model that ignores context and predicts every token with its frequency in <paramref name="training"/>, add-one
    /// smoothed over the vocabulary (ids 0 .. vocabSize - 1) so an unseen token costs a finite amount.
    /// </summary>
    public static double UnigramCrossEntropy(IReadOnlyList<long> training, IReadOnlyList<long> evaluated, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(evaluated);
        if (vocabSize < 1) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "the vocabulary needs at least one token.");
        if (evaluated.Count == 0) throw new ArgumentException("there are no tokens to evaluate.", nameof(evaluated));
        var counts = new double[vocabSize];
        foreach (var id in training.Concat(evaluated))
            if (id < 0 || id >= vocabSize) throw new ArgumentOutOfRangeException(nameof(training), id, $"token id {id} is outside the vocabulary 0 .. {vocabSize - 1}.");
        foreach (var id in training) counts[id]++;
        double total = training.Count + vocabSize;
        return -evaluated.Average(id => Math.Log((counts[id] + 1) / total));
    }

    /// <summary>Mean cross-entropy in bits (nats / ln 2), e.g. bits per character.</summary>
    public static double Bits(double meanNats)
    {
        if (!(meanNats >= 0)) throw new ArgumentOutOfRangeException(nameof(meanNats), meanNats, "a mean cross-entropy is a non-negative number of nats.");
        return meanNats / Math.Log(2);
    }

    /// <summary>Predicted class ids [N] from ids [N] or scores [N, C], checked against targets [N].</summary>
    internal static Tensor ClassIds(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.dim() != 1) throw new ArgumentException($"targets must be class ids [N], not shape [{string.Join(", ", targets.shape)}].", nameof(targets));
        if (targets.size(0) == 0) throw new ArgumentException("there are no targets.", nameof(targets));
        Tensor ids = predictions.dim() switch
        {
            1 => predictions.alias(),
            2 => predictions.argmax(1),
            _ => throw new ArgumentException($"predictions must be class ids [N] or scores [N, C], not shape [{string.Join(", ", predictions.shape)}].", nameof(predictions)),
        };
        if (ids.size(0) != targets.size(0))
        {
            ids.Dispose();
            throw new ArgumentException($"{predictions.size(0)} predictions but {targets.size(0)} targets.");
        }
        return ids;
    }
}
