namespace Course;

/// <summary>
/// A power law y = a · x₁^(−b₁) · x₂^(−b₂) · …, the form of a scaling law (loss against model size, data size). Taking
/// logs makes it linear, log y = log a − Σ b_j log x_j: a straight line on log-log axes, fitted by ordinary least
/// squares on the logs.
/// </summary>
public sealed record PowerLaw(double Coefficient, IReadOnlyList<double> Exponents)
{
    /// <summary>The value a · Π x_j^(−b_j) at <paramref name="x"/> (one value per exponent).</summary>
    public double Predict(params double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != Exponents.Count) throw new ArgumentException($"the power law has {Exponents.Count} variables, got {x.Length} values.", nameof(x));
        if (x.Any(v => !(v > 0))) throw new ArgumentOutOfRangeException(nameof(x), "a power law is defined for positive values only.");
        return Coefficient * x.Select((v, j) => Math.Pow(v, -Exponents[j])).Aggregate(1.0, (p, f) => p * f);
    }

    /// <summary>Fits y = a · x^(−b) to points (x, y) by least squares on log y against log x.</summary>
    public static PowerLaw Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Fit(x.Select(v => new[] { v }).ToArray(), y);
    }

    /// <summary>Fits y = a · Π x_j^(−b_j) to rows x[i] (one value per variable) and y[i], by least squares on the logs.</summary>
    public static PowerLaw Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} points but {y.Count} values.", nameof(y));
        if (x.Count == 0) throw new ArgumentException("a fit needs points.", nameof(x));
        int d = x[0].Length;
        if (d == 0 || x.Any(r => r.Length != d)) throw new ArgumentException("every point needs the same, positive number of variables.", nameof(x));
        if (x.Count < d + 1) throw new ArgumentException($"{x.Count} points cannot determine {d + 1} coefficients.", nameof(x));
        if (x.Any(r => r.Any(v => !(v > 0 && double.IsFinite(v)))) || y.Any(v => !(v > 0 && double.IsFinite(v))))
            throw new ArgumentOutOfRangeException(nameof(x), "a power law is fitted on logs: every x and y must be positive and finite.");
        int n = x.Count;
        // centred logs keep the normal equations well conditioned
        var lx = x.Select(r => r.Select(v => Math.Log(v)).ToArray()).ToArray();
        var ly = y.Select(v => Math.Log(v)).ToArray();
        var mx = Enumerable.Range(0, d).Select(j => lx.Average(r => r[j])).ToArray();
        double my = ly.Average();
        var a = new double[d, d];
        var b = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                b[j] += (lx[i][j] - mx[j]) * (ly[i] - my);
                for (int k = 0; k < d; k++) a[j, k] += (lx[i][j] - mx[j]) * (lx[i][k] - mx[k]);
            }
        var slopes = LinearSystem.Solve(a, b, "the points do not determine the exponents: some variable is constant, or variables move together on log axes.");
        double intercept = my - slopes.Select((s, j) => s * mx[j]).Sum();
        return new PowerLaw(Math.Exp(intercept), slopes.Select(s => -s).ToArray());
    }

    public override string ToString() =>
        $"{Coefficient:G4}" + string.Concat(Exponents.Select((e, j) => $" · x{(Exponents.Count > 1 ? (j + 1).ToString() : "")}^(−{e:G4})"));
}
