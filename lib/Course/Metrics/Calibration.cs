namespace Course;

/// <summary>
/// One bin of a reliability diagram: the examples whose confidence fell in (<paramref name="Lower"/>,
/// <paramref name="Upper"/>] (the first bin also takes 0), how many there were, their mean confidence and the
/// fraction of them that were right. A calibrated model has Accuracy ≈ MeanConfidence in every bin.
/// </summary>
public sealed record ReliabilityBin(double Lower, double Upper, long Count, double MeanConfidence, double Accuracy)
{
    /// <summary>|accuracy − confidence| of the bin (0 for an empty one).</summary>
    public double Gap => Count == 0 ? 0 : Math.Abs(Accuracy - MeanConfidence);
}

/// <summary>
/// Calibration: does a model that says "90% sure" turn out right 90% of the time? <see cref="Reliability"/> bins
/// the confidences into equal-width bins (the data of a reliability diagram); the expected calibration error
/// ECE = Σ_b (n_b / N) |acc_b − conf_b| is the examples-weighted gap. <see cref="FitTemperature"/> fits the one
/// parameter of temperature scaling, softmax(z / T), by minimising the negative log-likelihood (on a validation split).
/// </summary>
public static class Calibration
{
    /// <summary>
    /// Reliability bins of <paramref name="confidences"/> in [0, 1] (e.g. the top softmax probability, or the predicted
    /// probability of the positive class) and whether each prediction was right (or the example was positive).
    /// Bin edges are as scikit-learn's calibration_curve(strategy='uniform') puts them.
    /// </summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(confidences);
        ArgumentNullException.ThrowIfNull(correct);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin is needed.");
        if (confidences.Count != correct.Count) throw new ArgumentException($"{confidences.Count} confidences but {correct.Count} outcomes; they are paired.");
        if (confidences.Count == 0) throw new ArgumentException("there are no confidences.", nameof(confidences));
        var count = new long[bins];
        var confidenceSum = new double[bins];
        var rightSum = new long[bins];
        for (int i = 0; i < confidences.Count; i++)
        {
            double c = confidences[i];
            if (!(c >= 0 && c <= 1)) throw new ArgumentOutOfRangeException(nameof(confidences), c, $"confidence {i} is not a probability in [0, 1].");
            int b = 0;   // the number of inner edges below c: bins are (lower, upper], the first one [0, upper]
            while (b < bins - 1 && Edge(b + 1, bins) < c) b++;
            count[b]++;
            confidenceSum[b] += c;
            if (correct[i]) rightSum[b]++;
        }
        return Enumerable.Range(0, bins).Select(b => new ReliabilityBin(Edge(b, bins), Edge(b + 1, bins), count[b],
            count[b] == 0 ? double.NaN : confidenceSum[b] / count[b], count[b] == 0 ? double.NaN : (double)rightSum[b] / count[b])).ToList();
    }

    /// <summary>ECE = Σ_b (n_b / N) |acc_b − conf_b| over reliability bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = bins.Sum(b => b.Count);
        if (total == 0) throw new ArgumentException("the bins hold no examples.", nameof(bins));
        return bins.Sum(b => (double)b.Count / total * b.Gap);
    }

    /// <summary>ECE of <paramref name="confidences"/> in <paramref name="bins"/> equal-width bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct, int bins = 10)
        => ExpectedCalibrationError(Reliability(confidences, correct, bins));

    /// <summary>
    /// The temperature T &gt; 0 that minimises the mean cross-entropy of softmax(<paramref name="logits"/> / T) [N, C]
    /// against <paramref name="targets"/> [N]: a golden-section search over log T in [log 0.05, log 20] (the
    /// negative log-likelihood is convex in 1/T). T &gt; 1 softens an over-confident model; the argmax, and so the
    /// accuracy, does not change.
    /// </summary>
    public static double FitTemperature(Tensor logits, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.dim() != 2) throw new ArgumentException($"logits must be [N, C], not shape [{string.Join(", ", logits.shape)}].", nameof(logits));
        if (targets.dim() != 1 || targets.size(0) != logits.size(0))
            throw new ArgumentException($"targets must be class ids [{logits.size(0)}], not shape [{string.Join(", ", targets.shape)}].", nameof(targets));
        using var z = logits.detach().to(torch.float64).cpu();
        using var t = targets.to(torch.int64).cpu();
        double Nll(double logT)
        {
            using var scope = torch.NewDisposeScope();
            return torch.nn.functional.cross_entropy(z / Math.Exp(logT), t).ToDouble();
        }
        double a = Math.Log(0.05), b = Math.Log(20), ratio = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - ratio * (b - a), x2 = a + ratio * (b - a), f1 = Nll(x1), f2 = Nll(x2);
        for (int i = 0; i < 60; i++)
        {
            if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - ratio * (b - a); f1 = Nll(x1); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + ratio * (b - a); f2 = Nll(x2); }
        }
        return Math.Exp((a + b) / 2);
    }

    // numpy.linspace(0, 1, bins + 1) to the last bit: i · (1 / bins), the last edge exactly 1
    private static double Edge(int i, int bins) => i == bins ? 1 : i * (1.0 / bins);
}
