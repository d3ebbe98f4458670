using System.Numerics;

namespace Course.Federated;

/// <summary>
/// A Paillier public key (n, g = n + 1). Plaintexts are integers mod n, ciphertexts integers mod n² coprime to n.
/// Enc(m; r) = g^m r^n mod n², and with g = n + 1, g^m = 1 + m n mod n². The scheme is additively homomorphic:
/// Enc(a) Enc(b) = Enc(a + b) and Enc(a)^k = Enc(k a), all mod n².
/// </summary>
public sealed class PaillierPublicKey : IEquatable<PaillierPublicKey>
{
    public PaillierPublicKey(BigInteger n)
    {
        if (n < 15 || n.IsEven) throw new ArgumentException($"n = {n} is not the product of two odd primes.", nameof(n));
        N = n;
        NSquared = n * n;
        G = n + 1;
    }

    public BigInteger N { get; }
    public BigInteger NSquared { get; }
    public BigInteger G { get; }

    /// <summary>The bit length of n, the key size people quote (1024, 2048).</summary>
    public int Bits => (int)N.GetBitLength();

    /// <summary>The bytes a ciphertext takes on the wire (fixed width: n² rounded up to whole bytes).</summary>
    public int CiphertextBytes => (int)((NSquared.GetBitLength() + 7) / 8);

    /// <summary>Encrypts <paramref name="m"/> (in [0, n)) with fresh randomness r drawn uniformly from Z*_n.</summary>
    public BigInteger Encrypt(BigInteger m, RandomBits random)
    {
        ArgumentNullException.ThrowIfNull(random);
        BigInteger r;
        do r = random.Below(N); while (r.IsZero || !BigInteger.GreatestCommonDivisor(r, N).IsOne);
        return Encrypt(m, r);
    }

    /// <summary>Encrypts <paramref name="m"/> with the given randomness <paramref name="r"/> (in Z*_n).</summary>
    public BigInteger Encrypt(BigInteger m, BigInteger r)
    {
        CheckPlaintext(m);
        if (r.Sign <= 0 || r >= N || !BigInteger.GreatestCommonDivisor(r, N).IsOne)
            throw new ArgumentOutOfRangeException(nameof(r), "the randomness r must be in Z*_n (0 < r < n, coprime to n).");
        var gm = (BigInteger.One + m * N) % NSquared;
        return gm * BigInteger.ModPow(r, N, NSquared) % NSquared;
    }

    /// <summary>Enc(a + b) from Enc(a) and Enc(b).</summary>
    public BigInteger Add(BigInteger a, BigInteger b)
    {
        CheckCiphertext(a, nameof(a));
        CheckCiphertext(b, nameof(b));
        return a * b % NSquared;
    }

    /// <summary>Enc(a + m) from Enc(a) and the plaintext m (no fresh randomness: whoever holds Enc(a) can recover m).</summary>
    public BigInteger AddPlain(BigInteger a, BigInteger m)
    {
        CheckCiphertext(a, nameof(a));
        CheckPlaintext(m);
        return a * ((BigInteger.One + m * N) % NSquared) % NSquared;
    }

    /// <summary>
    /// Enc(k a) from Enc(a) and a plaintext integer k of either sign: a^k mod n², where a negative k uses the inverse
    /// of a (k = -|k| ≡ n - |k| mod n would cost a full-length exponent).
    /// </summary>
    public BigInteger MultiplyPlain(BigInteger a, BigInteger k)
    {
        CheckCiphertext(a, nameof(a));
        if (k.Sign >= 0) return BigInteger.ModPow(a, k, NSquared);
        return BigInteger.ModPow(ModularInverse(a, NSquared), -k, NSquared);
    }

    /// <summary>Re-randomises a ciphertext: the same plaintext, a ciphertext no one can link to the old one.</summary>
    public BigInteger Rerandomize(BigInteger a, RandomBits random) => Add(a, Encrypt(BigInteger.Zero, random));

    /// <summary>Throws unless <paramref name="c"/> can be a ciphertext of this key (in [1, n²), coprime to n).</summary>
    public void CheckCiphertext(BigInteger c, string name = "ciphertext")
    {
        if (c.Sign <= 0 || c >= NSquared)
            throw new ArgumentOutOfRangeException(name, $"a ciphertext of this {Bits}-bit key lies in [1, n²); this one does not (another key's, or tampered with).");
        if (!BigInteger.GreatestCommonDivisor(c, N).IsOne)
            throw new ArgumentException("the value shares a factor with n, so it is no ciphertext of this key (tampered with).", name);
    }

    private void CheckPlaintext(BigInteger m)
    {
        if (m.Sign < 0 || m >= N)
            throw new ArgumentOutOfRangeException(nameof(m), "a plaintext lies in [0, n); encode signed or real values first (FixedPoint).");
    }

    /// <summary>x⁻¹ mod <paramref name="modulus"/> by the extended Euclidean algorithm.</summary>
    internal static BigInteger ModularInverse(BigInteger x, BigInteger modulus)
    {
        BigInteger r0 = modulus, r1 = ((x % modulus) + modulus) % modulus, t0 = 0, t1 = 1;
        while (!r1.IsZero)
        {
            var q = r0 / r1;
            (r0, r1) = (r1, r0 - q * r1);
            (t0, t1) = (t1, t0 - q * t1);
        }
        if (!r0.IsOne) throw new ArgumentException("the value has no inverse: it shares a factor with the modulus.", nameof(x));
        return t0.Sign < 0 ? t0 + modulus : t0;
    }

    public bool Equals(PaillierPublicKey? other) => other is not null && N == other.N;
    public override bool Equals(object? obj) => Equals(obj as PaillierPublicKey);
    public override int GetHashCode() => N.GetHashCode();
    public override string ToString() => $"PaillierPublicKey({Bits} bits)";
}
