using System.Numerics;

namespace Course.Federated;

/// <summary>A Paillier key pair: the coordinator keeps <see cref="PrivateKey"/> and hands out <see cref="PublicKey"/>.</summary>
public sealed record PaillierKeyPair(PaillierPublicKey PublicKey, PaillierPrivateKey PrivateKey)
{
    /// <summary>
    /// Generates a key whose n = p q has exactly <paramref name="bits"/> bits: two distinct random primes of
    /// <paramref name="bits"/>/2 bits (equal lengths make gcd(n, (p - 1)(q - 1)) = 1, which g = n + 1 needs).
    /// </summary>
    public static PaillierKeyPair Generate(int bits, RandomBits random)
    {
        if (bits < 64 || bits % 2 != 0) throw new ArgumentOutOfRangeException(nameof(bits), bits, "an even key size of at least 64 bits (real keys: 2048 or more).");
        ArgumentNullException.ThrowIfNull(random);
        while (true)
        {
            var p = Primes.Random(bits / 2, random);
            var q = Primes.Random(bits / 2, random);
            if (p == q) continue;
            var n = p * q;
            if (!BigInteger.GreatestCommonDivisor(n, (p - 1) * (q - 1)).IsOne) continue;
            var publicKey = new PaillierPublicKey(n);
            return new PaillierKeyPair(publicKey, new PaillierPrivateKey(publicKey, p, q));
        }
    }

    /// <summary>
    /// The key pair of two given primes, e.g. a toy key small enough to follow by hand (p = 13, q = 17: n = 221).
    /// </summary>
    public static PaillierKeyPair FromPrimes(BigInteger p, BigInteger q)
    {
        var check = RandomBits.Seeded(0);
        if (p == q) throw new ArgumentException("p and q must be distinct primes.", nameof(q));
        if (!Primes.IsProbablePrime(p, check)) throw new ArgumentException($"p = {p} is not prime.", nameof(p));
        if (!Primes.IsProbablePrime(q, check)) throw new ArgumentException($"q = {q} is not prime.", nameof(q));
        var n = p * q;
        if (!BigInteger.GreatestCommonDivisor(n, (p - 1) * (q - 1)).IsOne)
            throw new ArgumentException($"gcd(pq, (p - 1)(q - 1)) must be 1 for g = n + 1; it is not for p = {p}, q = {q}.", nameof(q));
        var publicKey = new PaillierPublicKey(n);
        return new PaillierKeyPair(publicKey, new PaillierPrivateKey(publicKey, p, q));
    }
}
