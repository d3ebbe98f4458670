namespace Course.Models;

/// <summary>
/// NT-Xent, the normalised-temperature cross-entropy of SimCLR. For a batch of N images, z1[k] and z2[k] are the
/// projections of two views of image k: 2N vectors in all, and each vector's positive is the other view of its image.
/// With u = z / ‖z‖ and the cosine similarities s_ij = u_i · u_j,
/// <code>
///   ℓ(i) = −log( exp(s_i,p(i) / τ) / Σ_{k ≠ i} exp(s_ik / τ) ),      L = (1 / 2N) Σ_i ℓ(i)
/// </code>
/// where p(i) is i's positive. That is a (2N − 1)-way classification per vector, "which of the others is my twin?",
/// so it is computed as a cross-entropy over the similarity matrix with the diagonal (k = i) removed.
/// </summary>
public static class NTXent
{
    public static Tensor Loss(Tensor z1, Tensor z2, double temperature = 0.5)
    {
        ArgumentNullException.ThrowIfNull(z1);
        ArgumentNullException.ThrowIfNull(z2);
        if (z1.dim() != 2 || !z1.shape.SequenceEqual(z2.shape))
            throw new ArgumentException($"NT-Xent takes two projections [N, D] of the same shape, not [{string.Join(", ", z1.shape)}] and [{string.Join(", ", z2.shape)}].");
        if (z1.size(0) < 1) throw new ArgumentException("NT-Xent needs at least one pair.", nameof(z1));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive.");
        long n = z1.size(0);
        var u = F.normalize(cat([z1, z2]), dim: 1);                                  // [2N, D], unit rows
        var logits = u.matmul(u.t()) / temperature;                                   // s_ik / τ
        var self = eye(2 * n, dtype: @bool, device: u.device);
        logits = logits.masked_fill(self, double.NegativeInfinity);                   // k ≠ i
        var positive = cat([arange(n, 2 * n, device: u.device), arange(0, n, device: u.device)]);   // p(i)
        return F.cross_entropy(logits, positive);
    }

    /// <summary>
    /// The fraction of the 2N vectors whose most similar other vector (by cosine) is their positive: the accuracy of the
    /// classification NT-Xent trains, a held-out check that needs no labels (1/(2N − 1) by chance).
    /// </summary>
    public static double PairAccuracy(Tensor z1, Tensor z2)
    {
        ArgumentNullException.ThrowIfNull(z1);
        ArgumentNullException.ThrowIfNull(z2);
        if (z1.dim() != 2 || !z1.shape.SequenceEqual(z2.shape))
            throw new ArgumentException($"PairAccuracy takes two projections [N, D] of the same shape, not [{string.Join(", ", z1.shape)}] and [{string.Join(", ", z2.shape)}].");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = z1.size(0);
        var u = F.normalize(cat([z1, z2]), dim: 1);
        var similarity = u.matmul(u.t()).masked_fill(eye(2 * n, dtype: @bool, device: u.device), double.NegativeInfinity);
        var positive = cat([arange(n, 2 * n, device: u.device), arange(0, n, device: u.device)]);
        return similarity.argmax(1).eq(positive).to(float64).mean().ToDouble();
    }
}
