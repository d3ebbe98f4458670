namespace Course;

/// <summary>
/// Inception Score of a set of generated images from a classifier's probabilities p(y|x) [N, C]:
/// IS = exp(E_x KL(p(y|x) ‖ p(y))) with p(y) = mean_x p(y|x), which equals exp(H(y) − H(y|x)): high when each image
/// is classified confidently (low conditional entropy H(y|x)) and the classes are varied (high marginal entropy H(y)).
/// It lies in [1, C]. Entropies in nats; 0 log 0 = 0. One split (the original averages over ten splits of 5,000).
/// </summary>
public sealed record InceptionScore(double Score, double MarginalEntropy, double ConditionalEntropy)
{
    /// <summary>The score of class probabilities [N, C] (rows sum to 1; softmax the logits first).</summary>
    public static InceptionScore From(Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.dim() != 2) throw new ArgumentException($"probabilities must be [N, C], not shape [{string.Join(", ", probabilities.shape)}].", nameof(probabilities));
        int n = (int)probabilities.size(0), c = (int)probabilities.size(1);
        if (n == 0) throw new ArgumentException("there are no images.", nameof(probabilities));
        using var p64 = probabilities.detach().to(torch.float64).cpu();
        var p = p64.data<double>().ToArray();
        var marginal = new double[c];
        for (int i = 0; i < n; i++)
        {
            double rowSum = 0;
            for (int k = 0; k < c; k++)
            {
                double v = p[i * c + k];
                if (!(v >= 0 && v <= 1)) throw new ArgumentException($"probability [{i}, {k}] = {v} is not in [0, 1].", nameof(probabilities));
                rowSum += v;
                marginal[k] += v / n;
            }
            if (Math.Abs(rowSum - 1) > 1e-4) throw new ArgumentException($"row {i} sums to {rowSum}, not 1 (are these logits? apply softmax).", nameof(probabilities));
        }
        double meanKl = 0, conditional = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
            {
                double v = p[i * c + k];
                if (v == 0) continue;
                meanKl += v * Math.Log(v / marginal[k]) / n;
                conditional -= v * Math.Log(v) / n;
            }
        double marginalEntropy = -marginal.Where(m => m > 0).Sum(m => m * Math.Log(m));
        return new InceptionScore(Math.Exp(meanKl), marginalEntropy, conditional);
    }
}
