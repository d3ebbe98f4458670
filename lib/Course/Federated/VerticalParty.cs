using System.Numerics;

namespace Course.Federated;

/// <summary>
/// A party of vertical federated linear regression: it holds some feature columns of every sample (rows aligned by
/// sample ID with the other party's), its own weights w, and only the coordinator's public key. Party B also holds the
/// labels y. Its raw data and weights never leave it; it sends only ciphertexts and masked values.
/// </summary>
public sealed class VerticalParty
{
    private readonly double[,] _x;
    private readonly double[]? _y;
    private readonly PaillierPublicKey _key;
    private readonly RandomBits _random;
    private BigInteger[]? _masks;

    public VerticalParty(string name, double[,] features, double[]? labels, PaillierPublicKey key, RandomBits random)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(features);
        if (labels is not null && labels.Length != features.GetLength(0))
            throw new ArgumentException($"{name} has {features.GetLength(0)} rows of features but {labels.Length} labels.", nameof(labels));
        Name = name;
        _x = features;
        _y = labels;
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        Weights = new double[features.GetLength(1)];
    }

    public string Name { get; }
    public int Samples => _x.GetLength(0);
    public int Features => _x.GetLength(1);
    public bool HasLabels => _y is not null;

    /// <summary>This party's weights (its part of the model; no one else sees them).</summary>
    public double[] Weights { get; }

    /// <summary>uᵢ = w · xᵢ for every sample.</summary>
    public double[] Scores() => LinearModel.Scores(_x, Weights);

    /// <summary>Party A: [[uᵢᴬ]] and [[L_A]] = [[Σ (uᵢᴬ)² + λ/2 ‖w_A‖²]].</summary>
    public (EncryptedNumber[] U, EncryptedNumber Loss) EncryptScores(double lambda)
    {
        var u = Scores();
        var encrypted = EncryptedNumber.EncryptMany(_key, u, _random);
        double loss = u.Sum(ui => ui * ui) + lambda / 2 * Weights.Sum(w => w * w);
        return (encrypted, EncryptedNumber.Encrypt(_key, loss, _random));
    }

    /// <summary>
    /// Party B, from A's [[uᵢᴬ]] and [[L_A]]: [[dᵢ]] = [[uᵢᴬ]] + [[uᵢᴮ - yᵢ]] and
    /// [[L]] = [[L_A]] + [[L_B]] + [[s_AB]], with [[L_B]] = [[Σ (uᵢᴮ - yᵢ)² + λ/2 ‖w_B‖²]] and
    /// [[s_AB]] = 2 Σ [[uᵢᴬ]] (uᵢᴮ - yᵢ). B's own term is encrypted afresh: adding it as a plaintext would let A, who
    /// made [[uᵢᴬ]], divide it out of [[dᵢ]] and read uᵢᴮ - yᵢ.
    /// </summary>
    public (EncryptedNumber[] D, EncryptedNumber Loss) CombineResiduals(IReadOnlyList<EncryptedNumber> uA, EncryptedNumber lossA, double lambda)
    {
        if (_y is null) throw new InvalidOperationException($"{Name} holds no labels; only the party with the labels combines the residuals.");
        if (uA.Count != Samples) throw new ArgumentException($"{uA.Count} scores arrived for {Samples} samples.", nameof(uA));
        var u = Scores();
        var r = u.Select((ui, i) => ui - _y[i]).ToArray();
        var encryptedR = EncryptedNumber.EncryptMany(_key, r, _random);
        var d = r.Select((_, i) => uA[i] + encryptedR[i]).ToArray();
        var lossB = EncryptedNumber.Encrypt(_key, r.Sum(ri => ri * ri) + lambda / 2 * Weights.Sum(w => w * w), _random);
        var sAB = EncryptedNumber.Dot(uA, r) * 2L;
        return (d, lossA + lossB + sAB);
    }

    /// <summary>
    /// [[∂L/∂w + R]] = 2 Σᵢ [[dᵢ]] xᵢ + [[λ w]] + R, one per weight, where each R is a fresh one-time mask drawn
    /// uniformly from [0, n): the coordinator who decrypts it learns nothing about the gradient.
    /// </summary>
    public EncryptedNumber[] MaskedGradient(IReadOnlyList<EncryptedNumber> d, double lambda)
    {
        if (d.Count != Samples) throw new ArgumentException($"{d.Count} residuals arrived for {Samples} samples.", nameof(d));
        // 2 Σᵢ [[dᵢ]] xᵢⱼ for every weight j, the features in parallel
        var sums = new EncryptedNumber[Features];
        Parallel.For(0, Features, j => sums[j] = EncryptedNumber.Dot(d, Enumerable.Range(0, Samples).Select(i => _x[i, j]).ToArray()) * 2L);
        var ridge = EncryptedNumber.EncryptMany(_key, Weights.Select(w => lambda * w).ToArray(), _random, sums[0].Scale);
        _masks = new BigInteger[Features];
        var masked = new EncryptedNumber[Features];
        for (int j = 0; j < Features; j++)
        {
            _masks[j] = _random.Below(_key.N);
            masked[j] = (sums[j] + ridge[j]).AddPlaintext(_masks[j]);
        }
        return masked;
    }

    /// <summary>Takes the masks off the decrypted gradient and steps: w ← w - η ∂L/∂w. Returns the gradient.</summary>
    public double[] Update(IReadOnlyList<BigInteger> maskedGradient, int scale, double learningRate)
    {
        if (_masks is null) throw new InvalidOperationException($"{Name} has no masked gradient outstanding; call MaskedGradient first.");
        if (maskedGradient.Count != Features) throw new ArgumentException($"{maskedGradient.Count} gradient entries for {Features} weights.", nameof(maskedGradient));
        var n = _key.N;
        var gradient = new double[Features];
        for (int j = 0; j < Features; j++)
        {
            gradient[j] = FixedPoint.Decode(((maskedGradient[j] - _masks[j]) % n + n) % n, scale, n);
            Weights[j] -= learningRate * gradient[j];
        }
        _masks = null;
        return gradient;
    }
}
