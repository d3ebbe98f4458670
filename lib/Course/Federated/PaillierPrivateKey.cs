using System.Numerics;

namespace Course.Federated;

/// <summary>
/// A Paillier private key: λ = lcm(p - 1, q - 1) and μ = λ⁻¹ mod n (with g = n + 1). Dec(c) = L(c^λ mod n²) μ mod n,
/// where L(x) = (x - 1) / n.
/// </summary>
public sealed class PaillierPrivateKey
{
    internal PaillierPrivateKey(PaillierPublicKey publicKey, BigInteger p, BigInteger q)
    {
        PublicKey = publicKey;
        P = p;
        Q = q;
        var pm1 = p - 1;
        var qm1 = q - 1;
        Lambda = pm1 * qm1 / BigInteger.GreatestCommonDivisor(pm1, qm1);
        Mu = PaillierPublicKey.ModularInverse(Lambda, publicKey.N);
    }

    public PaillierPublicKey PublicKey { get; }
    public BigInteger P { get; }
    public BigInteger Q { get; }
    public BigInteger Lambda { get; }
    public BigInteger Mu { get; }

    /// <summary>The plaintext in [0, n) of ciphertext <paramref name="c"/>.</summary>
    public BigInteger Decrypt(BigInteger c)
    {
        PublicKey.CheckCiphertext(c, nameof(c));
        var n = PublicKey.N;
        var u = BigInteger.ModPow(c, Lambda, PublicKey.NSquared);
        return (u - 1) / n * Mu % n;
    }

    /// <summary>The real that [[x]] encrypts; a number under another key is an error, not a wrong value.</summary>
    public double Decrypt(EncryptedNumber x)
    {
        if (x.Key is null) throw new ArgumentException("an empty EncryptedNumber (default value).", nameof(x));
        if (!x.Key.Equals(PublicKey)) throw new ArgumentException($"the number was encrypted under another key ({x.Key.Bits} bits) than this private key's.", nameof(x));
        return FixedPoint.Decode(Decrypt(x.Ciphertext), x.Scale, PublicKey.N);
    }

    public override string ToString() => $"PaillierPrivateKey({PublicKey.Bits} bits)";
}
