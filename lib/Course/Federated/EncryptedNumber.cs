using System.Numerics;

namespace Course.Federated;

/// <summary>
/// [[x]]: a real x encrypted under a Paillier public key at a fixed-point scale (fraction bits). The operators are the
/// homomorphic ones, so protocol code reads like its equations: [[a]] + [[b]], [[a]] + b, [[a]] · b (b a plaintext
/// real). Scales add under multiplication; a sum first brings both sides to the larger scale. Only the private key
/// turns one back into a real (<see cref="PaillierPrivateKey.Decrypt(EncryptedNumber)"/>).
/// </summary>
public readonly record struct EncryptedNumber
{
    internal EncryptedNumber(PaillierPublicKey key, BigInteger ciphertext, int scale)
    {
        Key = key;
        Ciphertext = ciphertext;
        Scale = scale;
    }

    public PaillierPublicKey Key { get; }
    public BigInteger Ciphertext { get; }

    /// <summary>Fraction bits of the encoded plaintext.</summary>
    public int Scale { get; }

    /// <summary>[[x]] with fresh randomness.</summary>
    public static EncryptedNumber Encrypt(PaillierPublicKey key, double x, RandomBits random, int scale = FixedPoint.DefaultScale)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key, key.Encrypt(FixedPoint.Encode(x, scale, key.N), random), scale);
    }

    /// <summary>
    /// [[xᵢ]] for every value: the randomness is drawn in order (so a seed reproduces it) and the modular
    /// exponentiations, most of the cost, run in parallel.
    /// </summary>
    public static EncryptedNumber[] EncryptMany(PaillierPublicKey key, IReadOnlyList<double> values, RandomBits random, int scale = FixedPoint.DefaultScale)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(random);
        var plaintexts = values.Select(v => FixedPoint.Encode(v, scale, key.N)).ToArray();
        var r = new BigInteger[plaintexts.Length];
        for (int i = 0; i < r.Length; i++)
            do r[i] = random.Below(key.N); while (r[i].IsZero || !BigInteger.GreatestCommonDivisor(r[i], key.N).IsOne);
        var result = new EncryptedNumber[plaintexts.Length];
        Parallel.For(0, result.Length, i => result[i] = new(key, key.Encrypt(plaintexts[i], r[i]), scale));
        return result;
    }

    /// <summary>
    /// [[Σᵢ xᵢ wᵢ]] for encrypted xᵢ and plaintext reals wᵢ (encoded at <see cref="FixedPoint.DefaultScale"/>):
    /// Πᵢ xᵢ^{kᵢ} mod n², with the negative kᵢ gathered into one product that is inverted once.
    /// </summary>
    public static EncryptedNumber Dot(IReadOnlyList<EncryptedNumber> numbers, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        ArgumentNullException.ThrowIfNull(weights);
        if (numbers.Count == 0 || numbers.Count != weights.Count)
            throw new ArgumentException($"{numbers.Count} numbers and {weights.Count} weights: give one weight per number, at least one.", nameof(weights));
        var key = numbers[0].Key;
        int scale = numbers.Max(x => x.Scale);
        BigInteger positive = BigInteger.One, negative = BigInteger.One;
        for (int i = 0; i < numbers.Count; i++)
        {
            if (!numbers[i].Key.Equals(key)) throw new ArgumentException("the numbers are encrypted under different keys.", nameof(numbers));
            var x = numbers[i].Rescale(scale);
            var k = FixedPoint.ToInteger(weights[i], FixedPoint.DefaultScale);
            if (k.Sign >= 0) positive = positive * BigInteger.ModPow(x.Ciphertext, k, key.NSquared) % key.NSquared;
            else negative = negative * BigInteger.ModPow(x.Ciphertext, -k, key.NSquared) % key.NSquared;
        }
        var product = negative.IsOne ? positive : positive * PaillierPublicKey.ModularInverse(negative, key.NSquared) % key.NSquared;
        return new(key, product, scale + FixedPoint.DefaultScale);
    }

    /// <summary>A ciphertext received from another party, checked against the key.</summary>
    public static EncryptedNumber FromCiphertext(PaillierPublicKey key, BigInteger ciphertext, int scale)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.CheckCiphertext(ciphertext);
        return new(key, ciphertext, scale);
    }

    /// <summary>The same value at a larger scale (multiplies the plaintext by 2^(scale - Scale)).</summary>
    public EncryptedNumber Rescale(int scale)
    {
        if (scale < Scale) throw new ArgumentOutOfRangeException(nameof(scale), scale, $"a scale can only grow (from {Scale}).");
        return scale == Scale ? this : new(Key, Key.MultiplyPlain(Ciphertext, BigInteger.One << (scale - Scale)), scale);
    }

    /// <summary>The same value under fresh randomness, so the holder of the old ciphertext cannot link the two.</summary>
    public EncryptedNumber Rerandomize(RandomBits random) => new(Key, Key.Rerandomize(Ciphertext, random), Scale);

    public static EncryptedNumber operator +(EncryptedNumber a, EncryptedNumber b)
    {
        if (!a.Key.Equals(b.Key)) throw new ArgumentException("the two numbers are encrypted under different keys; they cannot be added.");
        int scale = Math.Max(a.Scale, b.Scale);
        var (x, y) = (a.Rescale(scale), b.Rescale(scale));
        return new(a.Key, a.Key.Add(x.Ciphertext, y.Ciphertext), scale);
    }

    /// <summary>[[a]] + b for a plaintext real b (no fresh randomness: see <see cref="Rerandomize"/>).</summary>
    public static EncryptedNumber operator +(EncryptedNumber a, double b) =>
        new(a.Key, a.Key.AddPlain(a.Ciphertext, FixedPoint.Encode(b, a.Scale, a.Key.N)), a.Scale);

    public static EncryptedNumber operator -(EncryptedNumber a, double b) => a + -b;

    /// <summary>
    /// [[a + r]] for a plaintext r in [0, n) added as it is, e.g. a one-time mask drawn uniformly from [0, n): the sum
    /// then says nothing about a to whoever decrypts it, and only the holder of r can take r off again.
    /// </summary>
    public EncryptedNumber AddPlaintext(BigInteger r) => new(Key, Key.AddPlain(Ciphertext, r), Scale);

    /// <summary>[[a]] · b for a plaintext real b, encoded at <see cref="FixedPoint.DefaultScale"/> (scales add).</summary>
    public static EncryptedNumber operator *(EncryptedNumber a, double b) => a.Multiply(b, FixedPoint.DefaultScale);

    public static EncryptedNumber operator *(double b, EncryptedNumber a) => a * b;

    /// <summary>[[a]] · k for a plaintext integer k (the scale stays).</summary>
    public static EncryptedNumber operator *(EncryptedNumber a, long k) => new(a.Key, a.Key.MultiplyPlain(a.Ciphertext, k), a.Scale);

    public static EncryptedNumber operator -(EncryptedNumber a) => a * -1L;

    /// <summary>[[a]] · b with b encoded at <paramref name="scale"/> fraction bits.</summary>
    public EncryptedNumber Multiply(double b, int scale) =>
        new(Key, Key.MultiplyPlain(Ciphertext, FixedPoint.ToInteger(b, scale)), Scale + scale);

    /// <summary>Σ [[xᵢ]] (at the largest scale among them).</summary>
    public static EncryptedNumber Sum(IEnumerable<EncryptedNumber> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        EncryptedNumber? total = null;
        foreach (var x in numbers) total = total is { } t ? t + x : x;
        return total ?? throw new ArgumentException("the sum of no encrypted numbers has no key; pass at least one.", nameof(numbers));
    }

    public override string ToString() => $"[[·]] ({Key.Bits}-bit key, scale 2^-{Scale})";
}
