namespace Course.Compression;

/// <summary>
/// Knowledge distillation (Hinton, Vinyals and Dean, 2015): a small student learns from a trained teacher's softened
/// class probabilities as well as from the labels,
/// <para>L = α T² KL(softmax(z_t / T) ‖ softmax(z_s / T)) + (1 − α) CE(z_s, y).</para>
/// The temperature T &gt; 1 flattens both distributions, so the teacher's ranking of the wrong classes (a shirt looks more
/// like a pullover than like a boot) carries signal; the gradient of the soft term shrinks as 1/T², and the factor T²
/// restores its scale, so α weighs the two terms the same whatever T. The KL divergence is summed over classes and
/// averaged over the batch (PyTorch's <c>kl_div(..., reduction="batchmean")</c>); the teacher gets no gradient.
/// </summary>
public static class Distillation
{
    /// <summary>T² KL(softmax(z_t / T) ‖ softmax(z_s / T)), averaged over the batch.</summary>
    public static Tensor SoftLoss(Tensor student_logits, Tensor teacher_logits, double temperature)
    {
        Check(student_logits, teacher_logits, temperature);
        var teacher = teacher_logits.detach();
        var logP = (teacher / temperature).log_softmax(1);
        var logQ = (student_logits / temperature).log_softmax(1);
        var kl = (logP.exp() * (logP - logQ)).sum() / student_logits.size(0);
        return kl * (temperature * temperature);
    }

    /// <summary>α T² KL(teacher ‖ student at temperature T) + (1 − α) CE(student, labels).</summary>
    public static Tensor Loss(Tensor student_logits, Tensor teacher_logits, Tensor targets, double temperature = 4, double alpha = 0.9)
    {
        Check(student_logits, teacher_logits, temperature);
        ArgumentNullException.ThrowIfNull(targets);
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α weighs the soft term against the labels: it is in [0, 1]");
        if (targets.dim() != 1 || targets.size(0) != student_logits.size(0))
            throw new ArgumentException($"expected one label per example ({student_logits.size(0)}); got [{string.Join(", ", targets.shape)}]", nameof(targets));
        return alpha * SoftLoss(student_logits, teacher_logits, temperature) + (1 - alpha) * F.cross_entropy(student_logits, targets);
    }

    private static void Check(Tensor student, Tensor teacher, double temperature)
    {
        ArgumentNullException.ThrowIfNull(student); ArgumentNullException.ThrowIfNull(teacher);
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive and finite");
        if (student.dim() != 2 || !student.shape.SequenceEqual(teacher.shape))
            throw new ArgumentException($"student and teacher logits must both be (batch, classes); got [{string.Join(", ", student.shape)}] and [{string.Join(", ", teacher.shape)}]");
        if (student.size(0) == 0) throw new ArgumentException("the batch is empty");
    }
}
