using System.Numerics;
using System.Security.Cryptography;

namespace Course.Federated;

/// <summary>
/// Where the randomness of keys and encryptions comes from: the operating system's cryptographic generator (the
/// default, and the only choice for real secrets), or SplitMix64 from a seed, so that a chapter's keys are the same on
/// every run (for teaching only: a seeded key is no secret).
/// </summary>
public sealed class RandomBits
{
    private readonly SplitMix64? _seeded;

    private RandomBits(SplitMix64? seeded) => _seeded = seeded;

    /// <summary>The operating system's cryptographic generator.</summary>
    public static RandomBits Secure() => new(null);

    /// <summary>A reproducible generator (teaching and tests only).</summary>
    public static RandomBits Seeded(long seed) => new(new SplitMix64(seed));

    /// <summary>Whether the bits are reproducible from a seed (and so no secret).</summary>
    public bool IsSeeded => _seeded is not null;

    /// <summary>A uniform non-negative integer below 2^<paramref name="bits"/>.</summary>
    public BigInteger Bits(int bits)
    {
        if (bits < 1) throw new ArgumentOutOfRangeException(nameof(bits), bits, "at least one bit.");
        var bytes = new byte[(bits + 7) / 8 + 1]; // the extra zero byte keeps the number non-negative
        var body = bytes.AsSpan(0, bytes.Length - 1);
        if (_seeded is null) RandomNumberGenerator.Fill(body);
        else
            for (int i = 0; i < body.Length; i += 8)
            {
                var word = BitConverter.GetBytes(_seeded.NextUInt64());
                word.AsSpan(0, Math.Min(8, body.Length - i)).CopyTo(body[i..]);
            }
        int extra = body.Length * 8 - bits;
        body[^1] &= (byte)(0xFF >> extra);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), by rejection (no modulo bias).</summary>
    public BigInteger Below(BigInteger bound)
    {
        if (bound.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "the bound must be positive.");
        int bits = (int)bound.GetBitLength();
        while (true)
        {
            var x = Bits(bits);
            if (x < bound) return x;
        }
    }
}
