using System.Diagnostics;

namespace Course.Federated;

/// <summary>What one training round of <see cref="SecureLinearRegression"/> cost and found.</summary>
public sealed record SecureRound(int Round, double Loss, double Seconds, long Bytes);

/// <summary>
/// Secure linear regression for vertical federated learning (Yang et al., 2019): parties A (features x_A) and B
/// (features x_B and labels y) share sample IDs, not features; coordinator C holds the Paillier private key. Together
/// they minimise L = Σᵢ (w_A·xᵢᴬ + w_B·xᵢᴮ - yᵢ)² + λ/2 (‖w_A‖² + ‖w_B‖²) by gradient descent, and every message passes
/// through <see cref="Wire"/>. One round:
/// <list type="number">
/// <item>A → B: [[uᵢᴬ]], [[L_A]].</item>
/// <item>B → A: [[dᵢ]] = [[uᵢᴬ]] + [[uᵢᴮ - yᵢ]]; B → C: [[L]].</item>
/// <item>A → C: [[∂L/∂w_A + R_A]]; B → C: [[∂L/∂w_B + R_B]]; C decrypts L and sends each party its masked gradient.</item>
/// <item>A and B remove their masks and update their weights.</item>
/// </list>
/// </summary>
public sealed class SecureLinearRegression
{
    public SecureLinearRegression(double[,] featuresA, double[,] featuresB, double[] labels, int keyBits, RandomBits random,
        double lambda = 0, double learningRate = 0.01)
    {
        ArgumentNullException.ThrowIfNull(featuresA);
        ArgumentNullException.ThrowIfNull(featuresB);
        if (featuresA.GetLength(0) != featuresB.GetLength(0))
            throw new ArgumentException($"A has {featuresA.GetLength(0)} samples and B {featuresB.GetLength(0)}: vertical parties hold the same samples (aligned by ID).", nameof(featuresB));
        if (lambda < 0) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ ≥ 0.");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive.");
        Lambda = lambda;
        LearningRate = learningRate;
        C = new Coordinator(keyBits, random);
        A = new VerticalParty("A", featuresA, null, C.PublicKey, random);
        B = new VerticalParty("B", featuresB, labels, C.PublicKey, random);
    }

    public VerticalParty A { get; }
    public VerticalParty B { get; }
    public Coordinator C { get; }
    public Wire Wire { get; } = new();
    public double Lambda { get; }
    public double LearningRate { get; }
    public int Rounds { get; private set; }

    /// <summary>One round of the protocol; the loss is the one before this round's update (what C decrypts).</summary>
    public SecureRound Step()
    {
        var clock = Stopwatch.StartNew();
        Wire.Round = ++Rounds;
        var (uA, lossA) = A.EncryptScores(Lambda);
        Wire.Send("A", "B", "[[u_A]]", uA);
        Wire.Send("A", "B", "[[L_A]]", lossA);

        var (d, loss) = B.CombineResiduals(uA, lossA, Lambda);
        Wire.Send("B", "A", "[[d]]", d);
        Wire.Send("B", "C", "[[L]]", loss);

        var maskedA = Wire.Send("A", "C", "[[dL/dw_A + R_A]]", A.MaskedGradient(d, Lambda));
        var maskedB = Wire.Send("B", "C", "[[dL/dw_B + R_B]]", B.MaskedGradient(d, Lambda));
        double decryptedLoss = C.DecryptLoss(loss);
        var plainA = Wire.Send("C", "A", "dL/dw_A + R_A", C.DecryptMasked(maskedA), IntegerBytes(maskedA.Count));
        var plainB = Wire.Send("C", "B", "dL/dw_B + R_B", C.DecryptMasked(maskedB), IntegerBytes(maskedB.Count));

        A.Update(plainA, maskedA[0].Scale, LearningRate);
        B.Update(plainB, maskedB[0].Scale, LearningRate);
        return new SecureRound(Rounds, decryptedLoss, clock.Elapsed.TotalSeconds, Wire.BytesIn(Rounds));
    }

    /// <summary>
    /// Inference: C asks both parties for the scores of the same samples and adds them, ŷᵢ = uᵢᴬ + uᵢᴮ (the scores are
    /// sent in the clear, to C only).
    /// </summary>
    public double[] Predict(double[,] featuresA, double[,] featuresB)
    {
        ArgumentNullException.ThrowIfNull(featuresA);
        ArgumentNullException.ThrowIfNull(featuresB);
        if (featuresA.GetLength(0) != featuresB.GetLength(0)) throw new ArgumentException("both parties must score the same samples.", nameof(featuresB));
        if (featuresA.GetLength(1) != A.Features || featuresB.GetLength(1) != B.Features)
            throw new ArgumentException($"A scores {A.Features} features and B {B.Features}; got {featuresA.GetLength(1)} and {featuresB.GetLength(1)}.");
        var uA = Wire.Send("A", "C", "u_A", LinearModel.Scores(featuresA, A.Weights), 8L * featuresA.GetLength(0));
        var uB = Wire.Send("B", "C", "u_B", LinearModel.Scores(featuresB, B.Weights), 8L * featuresB.GetLength(0));
        return uA.Zip(uB, (a, b) => a + b).ToArray();
    }

    private long IntegerBytes(int count) => count * (long)((C.PublicKey.Bits + 7) / 8);
}
