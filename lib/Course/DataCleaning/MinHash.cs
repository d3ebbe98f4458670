namespace Course.DataCleaning;

/// <summary>
/// MinHash signatures (Broder 1997). Hash function i maps a shingle hash x to h_i(x) = mix(x ⊕ s_i), a SplitMix64
/// finaliser with its own seeded salt s_i; the signature of a set A is (min_{x∈A} h_i(x))_{i=1..n}. For one random
/// function, P[min h(A) = min h(B)] = |A ∩ B| / |A ∪ B| (every element of A ∪ B is equally likely to be the smallest,
/// and the minima agree exactly when that element is in both), so the fraction of agreeing positions estimates the
/// Jaccard similarity J with standard error √(J(1−J)/n).
/// </summary>
public sealed class MinHash
{
    private readonly ulong[] _salts;

    public MinHash(int numHashes, int seed = 0)
    {
        if (numHashes < 1) throw new ArgumentOutOfRangeException(nameof(numHashes), numHashes, "a signature needs at least one hash function.");
        var random = new SplitMix64(seed);
        _salts = Enumerable.Range(0, numHashes).Select(_ => random.NextUInt64()).ToArray();
    }

    public int NumHashes => _salts.Length;

    /// <summary>The signature of a set of shingle hashes; an empty set is an error (it has no minimum).</summary>
    public ulong[] Signature(IEnumerable<ulong> shingleHashes)
    {
        ArgumentNullException.ThrowIfNull(shingleHashes);
        var signature = new ulong[_salts.Length];
        Array.Fill(signature, ulong.MaxValue);
        bool any = false;
        foreach (var x in shingleHashes)
        {
            any = true;
            for (int i = 0; i < _salts.Length; i++)
            {
                ulong h = Mix(x ^ _salts[i]);
                if (h < signature[i]) signature[i] = h;
            }
        }
        if (!any) throw new ArgumentException("an empty set has no MinHash signature (drop empty texts first).", nameof(shingleHashes));
        return signature;
    }

    /// <summary>The fraction of positions where two signatures agree: the estimate of the sets' Jaccard similarity.</summary>
    public static double Estimate(ulong[] a, ulong[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length || a.Length == 0) throw new ArgumentException($"signatures of lengths {a.Length} and {b.Length} cannot be compared.");
        int same = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) same++;
        return (double)same / a.Length;
    }

    /// <summary>The standard error of the estimate for a true similarity <paramref name="jaccard"/> and n hashes.</summary>
    public static double StandardError(double jaccard, int numHashes) => Math.Sqrt(jaccard * (1 - jaccard) / numHashes);

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
