namespace Course;

/// <summary>Small dense linear systems in float64 (normal equations of least-squares fits).</summary>
public static class LinearSystem
{
    /// <summary>
    /// x with A x = b, by Gaussian elimination with partial pivoting (A and b are left unchanged). A (numerically)
    /// singular A is an <see cref="ArgumentException"/> carrying <paramref name="singular"/>, the caller's reason.
    /// </summary>
    public static double[] Solve(double[,] a, double[] b, string singular)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int d = b.Length;
        if (a.GetLength(0) != d || a.GetLength(1) != d) throw new ArgumentException($"A is {a.GetLength(0)}×{a.GetLength(1)} but b has {d} entries.", nameof(b));
        (a, b) = ((double[,])a.Clone(), (double[])b.Clone());
        double scale = 0;
        for (int j = 0; j < d; j++) scale = Math.Max(scale, Math.Abs(a[j, j]));
        for (int col = 0; col < d; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < d; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (!(Math.Abs(a[pivot, col]) > 1e-12 * Math.Max(scale, 1e-300)))
                throw new ArgumentException(singular);
            if (pivot != col)
            {
                for (int k = 0; k < d; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                (b[col], b[pivot]) = (b[pivot], b[col]);
            }
            for (int r = col + 1; r < d; r++)
            {
                double f = a[r, col] / a[col, col];
                for (int k = col; k < d; k++) a[r, k] -= f * a[col, k];
                b[r] -= f * b[col];
            }
        }
        var s = new double[d];
        for (int r = d - 1; r >= 0; r--)
        {
            double sum = b[r];
            for (int k = r + 1; k < d; k++) sum -= a[r, k] * s[k];
            s[r] = sum / a[r, r];
        }
        return s;
    }
}
