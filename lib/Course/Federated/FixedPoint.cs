using System.Numerics;

namespace Course.Federated;

/// <summary>
/// Signed reals as Paillier plaintexts: x becomes round(x 2^f) mod n, where f (the scale) counts fraction bits.
/// Negative values wrap to the top of [0, n). Sums and products of encodings stay encodings, with scales adding under
/// multiplication. Only |value| &lt; n/3 decodes: the middle third of [0, n) is never a valid encoding, so an
/// overflow or a decryption with the wrong key shows up as an error rather than a plausible number.
/// </summary>
public static class FixedPoint
{
    /// <summary>The fraction bits of a freshly encoded value unless a caller says otherwise.</summary>
    public const int DefaultScale = 32;

    /// <summary>The integer round(x 2^scale) (exact for every finite double).</summary>
    public static BigInteger ToInteger(double x, int scale)
    {
        if (!double.IsFinite(x)) throw new ArgumentException($"{x} cannot be encoded: only finite values.", nameof(x));
        if (scale < 0 || scale > 512) throw new ArgumentOutOfRangeException(nameof(scale), scale, "a scale in [0, 512] fraction bits.");
        return new BigInteger(Math.Round(Math.ScaleB(x, scale), MidpointRounding.ToEven));
    }

    /// <summary>The plaintext in [0, n) that encodes <paramref name="x"/> at <paramref name="scale"/>.</summary>
    public static BigInteger Encode(double x, int scale, BigInteger n) => Wrap(ToInteger(x, scale), n);

    /// <summary>The plaintext in [0, n) of the signed integer <paramref name="v"/>.</summary>
    public static BigInteger Wrap(BigInteger v, BigInteger n)
    {
        if (BigInteger.Abs(v) >= n / 3) throw new OverflowException($"{v} does not fit the plaintext range of a {n.GetBitLength()}-bit key (|v| < n/3).");
        return v.Sign >= 0 ? v : v + n;
    }

    /// <summary>The signed integer of plaintext <paramref name="m"/>; the middle third of [0, n) is an error.</summary>
    public static BigInteger Unwrap(BigInteger m, BigInteger n)
    {
        if (m.Sign < 0 || m >= n) throw new ArgumentOutOfRangeException(nameof(m), "a plaintext lies in [0, n).");
        var third = n / 3;
        if (m < third) return m;
        if (m > n - third) return m - n;
        throw new OverflowException("the plaintext lies in the middle third of [0, n): the computation overflowed, or it was decrypted with the wrong key, or the ciphertext was tampered with.");
    }

    /// <summary>The real encoded by plaintext <paramref name="m"/> at <paramref name="scale"/>.</summary>
    public static double Decode(BigInteger m, int scale, BigInteger n) => Math.ScaleB((double)Unwrap(m, n), -scale);
}
