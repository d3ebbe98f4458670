namespace Course;

/// <summary>
/// Principal component analysis for plots: the directions of largest variance of centred data, found by power iteration
/// with deflation on the covariance matrix (in float64), and the data's coordinates along them.
/// </summary>
public static class Pca
{
    /// <summary>Coordinates [N, components] of x [N, D] on its top principal directions (each direction's sign fixed so
    /// that its largest-magnitude entry is positive).</summary>
    public static Tensor Project(Tensor x, int components = 2, int iterations = 500)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2) throw new ArgumentException($"PCA takes data [N, D], not [{string.Join(", ", x.shape)}].", nameof(x));
        if (components < 1 || components > x.size(1)) throw new ArgumentOutOfRangeException(nameof(components), components, $"between 1 and D = {x.size(1)} components.");
        using var scope = torch.NewDisposeScope();
        var centred = x.detach().to(torch.float64).cpu();
        centred = centred - centred.mean([0], keepdim: true);
        int d = (int)x.size(1);
        var cov = centred.t().matmul(centred).data<double>().ToArray();      // D×D, row-major
        var directions = new double[components][];
        var random = new SplitMix64(0);
        for (int c = 0; c < components; c++)
        {
            var v = Enumerable.Range(0, d).Select(_ => (double)random.NextInt64(1, 1000)).ToArray();
            for (int it = 0; it < iterations; it++)
            {
                var next = new double[d];
                for (int i = 0; i < d; i++)
                {
                    double s = 0;
                    for (int j = 0; j < d; j++) s += cov[i * d + j] * v[j];
                    next[i] = s;
                }
                foreach (var u in directions.Take(c))     // deflation: stay orthogonal to the directions found
                {
                    double dot = next.Zip(u).Sum(p => p.First * p.Second);
                    for (int i = 0; i < d; i++) next[i] -= dot * u[i];
                }
                double norm = Math.Sqrt(next.Sum(a => a * a));
                if (norm == 0) break;
                v = next.Select(a => a / norm).ToArray();
            }
            int largest = Enumerable.Range(0, d).MaxBy(i => Math.Abs(v[i]));
            if (v[largest] < 0) v = v.Select(a => -a).ToArray();
            directions[c] = v;
        }
        var basis = torch.tensor(directions.SelectMany(u => u).ToArray(), new long[] { components, d }).t();
        return centred.matmul(basis).to(x.dtype).MoveToOuterDisposeScope();
    }
}
