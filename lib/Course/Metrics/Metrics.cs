using Torch;

namespace Course;

/// <summary>Single-number metrics: accuracy, exact match and perplexity.</summary>
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
        return mean.item<double>();
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
