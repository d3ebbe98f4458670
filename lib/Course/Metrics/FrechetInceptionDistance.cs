namespace Course;

/// <summary>The mean and covariance (divided by N − 1) of a set of feature vectors, in float64.</summary>
public sealed record FeatureStatistics(double[] Mean, double[,] Covariance, long Count)
{
    /// <summary>The statistics of <paramref name="features"/> [N, D] (N ≥ 2).</summary>
    public static FeatureStatistics Of(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2) throw new ArgumentException($"features must be [N, D], not shape [{string.Join(", ", features.shape)}].", nameof(features));
        long n = features.size(0);
        int d = (int)features.size(1);
        if (n < 2) throw new ArgumentException($"a covariance needs at least two feature vectors, not {n}.", nameof(features));
        using var scope = torch.NewDisposeScope();
        var x = features.detach().to(torch.float64).cpu();
        var mean = x.mean([0]);
        var centered = x - mean;
        var covariance = centered.t().matmul(centered) / (n - 1);
        var m = mean.data<double>().ToArray();
        var flat = covariance.data<double>().ToArray();
        if (m.Any(v => !double.IsFinite(v))) throw new ArgumentException("the features contain NaN or infinite values.", nameof(features));
        var c = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) c[i, j] = (flat[i * d + j] + flat[j * d + i]) / 2;
        return new FeatureStatistics(m, c, n);
    }
}

/// <summary>
/// Fréchet Inception Distance: the Fréchet (2-Wasserstein) distance between two Gaussians fitted to the features of
/// two image sets, FID = ‖m − m_w‖² + Tr(C + C_w − 2 (C C_w)^½). The product C C_w is not symmetric, so its square
/// root is taken the safe way: with S = C^½ (symmetric), C C_w = S (S C_w) has the eigenvalues of S C_w S, which is
/// symmetric positive semi-definite, so Tr (C C_w)^½ = Σ √λᵢ(S C_w S). Both square roots come from float64 Jacobi
/// eigendecompositions (<see cref="SymmetricEigen"/>), so no complex parts or NaNs appear for singular covariances.
/// Lower is closer; 0 means the same mean and covariance. The original uses Inception-v3 pool features; here any
/// feature extractor can be used, and numbers are comparable only between runs with the same one.
/// </summary>
public static class FrechetInceptionDistance
{
    /// <summary>FID between the features [N, D] of a reference set and of a set to evaluate.</summary>
    public static double Compute(Tensor referenceFeatures, Tensor features)
        => Compute(FeatureStatistics.Of(referenceFeatures), FeatureStatistics.Of(features));

    /// <summary>FID from two sets' statistics (compute the reference's once and reuse it).</summary>
    public static double Compute(FeatureStatistics reference, FeatureStatistics other)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        int d = reference.Mean.Length;
        if (other.Mean.Length != d) throw new ArgumentException($"the feature sizes differ: {d} against {other.Mean.Length}.", nameof(other));
        double meanTerm = 0, traces = 0;
        for (int i = 0; i < d; i++)
        {
            double diff = reference.Mean[i] - other.Mean[i];
            meanTerm += diff * diff;
            traces += reference.Covariance[i, i] + other.Covariance[i, i];
        }
        var s = SymmetricEigen.SquareRoot(reference.Covariance);
        var product = Multiply(Multiply(s, other.Covariance), s);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) product[i, j] = product[j, i] = (product[i, j] + product[j, i]) / 2;
        var (values, _) = SymmetricEigen.Decompose(product);
        double traceOfRoot = values.Sum(l => Math.Sqrt(Math.Max(l, 0)));
        return meanTerm + traces - 2 * traceOfRoot;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = b.GetLength(1), inner = a.GetLength(1);
        var result = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < inner; k++)
            {
                double aik = a[i, k];
                if (aik == 0) continue;
                for (int j = 0; j < m; j++) result[i, j] += aik * b[k, j];
            }
        return result;
    }
}
