namespace Course;

/// <summary>
/// Eigenvalues and eigenvectors of a real symmetric matrix, A = V diag(λ) Vᵀ, in float64 by the cyclic Jacobi method:
/// plane rotations, each chosen to zero one off-diagonal pair, are applied sweep after sweep until what is left off
/// the diagonal is below rounding. Slow for large matrices (O(n³) per sweep) but accurate to a few ulps, and enough
/// for the covariance matrices of a few hundred features that FID needs.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>λ (ascending) and the matching unit eigenvectors as the columns of V.</summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.GetLength(0);
        if (n == 0 || matrix.GetLength(1) != n) throw new ArgumentException($"the matrix must be square and non-empty, not {matrix.GetLength(0)}x{matrix.GetLength(1)}.", nameof(matrix));
        double scale = 0;
        foreach (var x in matrix)
        {
            if (!double.IsFinite(x)) throw new ArgumentException("the matrix has a NaN or infinite entry.", nameof(matrix));
            scale = Math.Max(scale, Math.Abs(x));
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(matrix[i, j] - matrix[j, i]) > 1e-9 * scale)
                    throw new ArgumentException($"the matrix is not symmetric: [{i}, {j}] = {matrix[i, j]} but [{j}, {i}] = {matrix[j, i]}.", nameof(matrix));

        var a = new double[n, n];
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
            for (int j = 0; j < n; j++) a[i, j] = (matrix[i, j] + matrix[j, i]) / 2;
        }
        double total = 0;
        foreach (var x in a) total += x * x;
        for (int sweep = 0; ; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off <= 1e-34 * total) break;
            if (sweep == 100) throw new InvalidOperationException($"the Jacobi eigenvalue iteration did not converge in 100 sweeps (off-diagonal mass {off:E2} of {total:E2}).");
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p, q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    // rotation by φ in the (p, q) plane with cot 2φ = θ makes the new [p, q] zero; t = tan φ, the smaller root
                    double theta = (a[q, q] - a[p, p]) / (2 * apq);
                    double t = Math.Abs(theta) > 1e150 ? 1 / (2 * theta) : Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)   // A ← A J (columns p and q)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)   // A ← Jᵀ A (rows p and q)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    a[p, q] = a[q, p] = 0;
                    for (int k = 0; k < n; k++)   // V ← V J
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderBy(i => a[i, i]).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++) vectors[k, j] = v[k, order[j]];
        return (values, vectors);
    }

    /// <summary>
    /// The symmetric square root S of a symmetric positive semi-definite matrix (S S = A, S = V diag(√λ) Vᵀ);
    /// eigenvalues below zero by rounding are taken as 0.
    /// </summary>
    public static double[,] SquareRoot(double[,] matrix)
    {
        var (values, vectors) = Decompose(matrix);
        int n = values.Length;
        double largest = Math.Max(Math.Abs(values[0]), Math.Abs(values[^1]));
        if (values[0] < -1e-8 * Math.Max(largest, 1e-300))
            throw new ArgumentException($"the matrix is not positive semi-definite (eigenvalue {values[0]:E3}); it has no real square root.", nameof(matrix));
        var roots = values.Select(l => Math.Sqrt(Math.Max(l, 0))).ToArray();
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += vectors[i, k] * roots[k] * vectors[j, k];
                result[i, j] = sum;
            }
        return result;
    }
}
