namespace Course.Federated;

/// <summary>
/// Centralised ridge regression on the joined data, the yardstick of the federated protocols: the same loss
/// L = Σᵢ (w·xᵢ - yᵢ)² + λ/2 ‖w‖², by gradient descent (∂L/∂w = 2 Xᵀ(Xw - y) + λ w) and in closed form
/// ((2 XᵀX + λ I) w = 2 Xᵀ y), in float64.
/// </summary>
public static class LinearModel
{
    /// <summary>uᵢ = w · xᵢ.</summary>
    public static double[] Scores(double[,] x, IReadOnlyList<double> w)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.GetLength(1) != w.Count) throw new ArgumentException($"{x.GetLength(1)} features but {w.Count} weights.", nameof(w));
        var u = new double[x.GetLength(0)];
        for (int i = 0; i < u.Length; i++)
            for (int j = 0; j < w.Count; j++) u[i] += w[j] * x[i, j];
        return u;
    }

    /// <summary>L(w) on (x, y).</summary>
    public static double Loss(double[,] x, double[] y, IReadOnlyList<double> w, double lambda)
    {
        var u = Scores(x, w);
        return u.Select((ui, i) => (ui - y[i]) * (ui - y[i])).Sum() + lambda / 2 * w.Sum(wj => wj * wj);
    }

    /// <summary><paramref name="steps"/> steps of w ← w - η ∂L/∂w from w = 0; returns the weights after each step.</summary>
    public static List<double[]> GradientDescent(double[,] x, double[] y, double lambda, double learningRate, int steps)
    {
        Check(x, y);
        int n = x.GetLength(0), p = x.GetLength(1);
        var w = new double[p];
        var path = new List<double[]>(steps);
        for (int s = 0; s < steps; s++)
        {
            var u = Scores(x, w);
            var g = new double[p];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < p; j++) g[j] += 2 * (u[i] - y[i]) * x[i, j];
            for (int j = 0; j < p; j++) w[j] -= learningRate * (g[j] + lambda * w[j]);
            path.Add((double[])w.Clone());
        }
        return path;
    }

    /// <summary>The minimiser of L: the solution of (2 XᵀX + λ I) w = 2 Xᵀ y.</summary>
    public static double[] ClosedForm(double[,] x, double[] y, double lambda)
    {
        Check(x, y);
        int n = x.GetLength(0), p = x.GetLength(1);
        var a = new double[p, p];
        var b = new double[p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
            {
                b[j] += 2 * x[i, j] * y[i];
                for (int k = 0; k < p; k++) a[j, k] += 2 * x[i, j] * x[i, k];
            }
        for (int j = 0; j < p; j++) a[j, j] += lambda;
        return LinearSystem.Solve(a, b, "2 XᵀX + λ I is singular: add a ridge (λ > 0) or drop collinear features.");
    }

    private static void Check(double[,] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.GetLength(0) != y.Length) throw new ArgumentException($"{x.GetLength(0)} rows but {y.Length} labels.", nameof(y));
    }
}
