namespace Course.Federated;

/// <summary>
/// How a data set is dealt out to the clients of horizontal federated learning (every client has the same features,
/// different samples). IID: a shuffled deal of equal shares. Label skew: for each class, shares drawn from a symmetric
/// Dirichlet(α) over the clients, so a small α gives each client a few dominant classes and a large α approaches IID.
/// Seeded: the same arguments give the same partition.
/// </summary>
public static class ClientPartition
{
    /// <summary>Equal shares of a shuffled 0..n-1 (sizes differ by at most one).</summary>
    public static long[][] Iid(long n, int clients, int seed)
    {
        if (n < clients) throw new ArgumentOutOfRangeException(nameof(n), n, $"{clients} clients need at least {clients} samples.");
        if (clients < 1) throw new ArgumentOutOfRangeException(nameof(clients), clients, "at least one client.");
        var order = Shuffle.Permutation(n, seed);
        return Enumerable.Range(0, clients).Select(k => order.Where((_, i) => i % clients == k).ToArray()).ToArray();
    }

    /// <summary>
    /// Label-skewed shares: class c's shuffled samples are cut by proportions p_c ~ Dirichlet(α, ..., α) over the
    /// clients. Every sample goes to exactly one client; a client may end up with few samples when α is small.
    /// </summary>
    public static long[][] Dirichlet(IReadOnlyList<long> labels, int clients, double alpha, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (clients < 1) throw new ArgumentOutOfRangeException(nameof(clients), clients, "at least one client.");
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the concentration α must be positive and finite.");
        var random = new SplitMix64(seed);
        var shares = Enumerable.Range(0, clients).Select(_ => new List<long>()).ToArray();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.Select(i => (long)i).ToArray();
            var order = Shuffle.Permutation(members.Length, random);
            var p = Sample(random, clients, alpha);
            int start = 0;
            double cumulative = 0;
            for (int k = 0; k < clients; k++)
            {
                cumulative += p[k];
                int end = k == clients - 1 ? members.Length : (int)Math.Round(cumulative * members.Length);
                for (int i = start; i < end; i++) shares[k].Add(members[order[i]]);
                start = Math.Max(start, end);
            }
        }
        return shares.Select(s => s.ToArray()).ToArray();
    }

    /// <summary>A draw from the symmetric Dirichlet(α) on <paramref name="k"/> categories: normalised Gamma(α, 1) draws.</summary>
    public static double[] Sample(SplitMix64 random, int k, double alpha)
    {
        var g = new double[k];
        for (int i = 0; i < k; i++) g[i] = Gamma(random, alpha);
        double sum = g.Sum();
        if (sum == 0) { g[(int)random.NextInt64(k)] = 1; sum = 1; } // every draw underflowed (tiny α): one category takes all
        return g.Select(x => x / sum).ToArray();
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 use Gamma(shape + 1) U^(1/shape).</summary>
    public static double Gamma(SplitMix64 random, double shape)
    {
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "the shape must be positive.");
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(Uniform(random), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = Normal(random); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = Uniform(random);
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    private static double Uniform(SplitMix64 random) => ((random.NextUInt64() >> 11) + 0.5) / (1UL << 53); // in (0, 1)

    private static double Normal(SplitMix64 random) =>
        Math.Sqrt(-2 * Math.Log(Uniform(random))) * Math.Cos(2 * Math.PI * Uniform(random));
}
