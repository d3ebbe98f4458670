using System.Numerics;

namespace Course.Federated;

/// <summary>
/// Random primes for key generation: trial division by the small primes, then Miller-Rabin with random bases. With
/// 40 rounds a composite passes with probability below 4^-40.
/// </summary>
public static class Primes
{
    private static readonly int[] Small = SmallPrimes(2000);

    /// <summary>Whether <paramref name="n"/> is (with overwhelming probability) prime.</summary>
    public static bool IsProbablePrime(BigInteger n, RandomBits random, int rounds = 40)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "at least one Miller-Rabin round.");
        if (n < 2) return false;
        foreach (int p in Small)
        {
            if (n == p) return true;
            if (n % p == 0) return false;
        }
        // n - 1 = 2^s d with d odd
        var d = n - 1;
        int s = 0;
        while (d.IsEven) { d >>= 1; s++; }
        for (int round = 0; round < rounds; round++)
        {
            var a = random.Below(n - 3) + 2; // a base in [2, n - 2]
            var x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1) continue;
            bool witness = true;
            for (int i = 1; i < s && witness; i++)
            {
                x = BigInteger.ModPow(x, 2, n);
                if (x == n - 1) witness = false;
            }
            if (witness) return false;
        }
        return true;
    }

    /// <summary>
    /// A random prime of exactly <paramref name="bits"/> bits whose two top bits are set, so that the product of two
    /// such primes has exactly 2 × <paramref name="bits"/> bits.
    /// </summary>
    public static BigInteger Random(int bits, RandomBits random)
    {
        if (bits < 16) throw new ArgumentOutOfRangeException(nameof(bits), bits, "primes of at least 16 bits.");
        ArgumentNullException.ThrowIfNull(random);
        while (true)
        {
            var candidate = random.Bits(bits) | (BigInteger.One << (bits - 1)) | (BigInteger.One << (bits - 2)) | BigInteger.One;
            if (IsProbablePrime(candidate, random)) return candidate;
        }
    }

    private static int[] SmallPrimes(int below)
    {
        var composite = new bool[below];
        var primes = new List<int>();
        for (int i = 2; i < below; i++)
        {
            if (composite[i]) continue;
            primes.Add(i);
            for (int j = i * i; j < below; j += i) composite[j] = true;
        }
        return primes.ToArray();
    }
}
