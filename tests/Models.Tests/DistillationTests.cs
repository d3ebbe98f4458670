using System.Text.Json.Nodes;
using Course.Compression;

namespace Models.Tests;

/// <summary>
/// The distillation loss against PyTorch's <c>kl_div(log_softmax(z_s/T), softmax(z_t/T), reduction="batchmean")</c>
/// and cross-entropy (value and gradient, reference/compression.json), its limits worked by hand, a float64 gradient
/// check, no gradient into the teacher; and the latency helper's median.
/// </summary>
public class DistillationTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "compression.json")))!;
    private static double[] D(string key) => Ref[key]!.AsArray().Select(v => (double)v!).ToArray();
    private static Tensor Logits(string key) => tensor(D(key), new long[] { 5, 4 });
    private static Tensor Labels() => tensor(Ref["labels"]!.AsArray().Select(v => (long)v!).ToArray());
    private static void Close(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R}");
    private static double Gap(Tensor a, double[] b) => a.ToArray<double>().Zip(b).Max(p => Math.Abs(p.First - p.Second));

    [Fact]
    public void LossAndGradientEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        double T = (double)Ref["temperature"]!, alpha = (double)Ref["alpha"]!;
        var student = Logits("student").requires_grad_();
        var teacher = Logits("teacher").requires_grad_();
        Close((double)Ref["soft_loss"]!, Distillation.SoftLoss(student, teacher, T).item<double>(), 1e-13);
        var loss = Distillation.Loss(student, teacher, Labels(), T, alpha);
        Close((double)Ref["loss"]!, loss.item<double>(), 1e-13);
        loss.backward();
        Assert.True(Gap(student.grad!, D("grad_student")) < 1e-14, "the student's gradient differs from PyTorch's");
        Assert.Null(teacher.grad);                                                        // the teacher is not trained
    }

    [Fact]
    public void LimitsAreTheTwoTermsAlone()
    {
        using var scope = NewDisposeScope();
        var (s, t, y) = (Logits("student"), Logits("teacher"), Labels());
        // α = 0: plain cross-entropy; a student equal to its teacher has no soft loss; α = 1: the soft term alone
        Close(F.cross_entropy(s, y).item<double>(), Distillation.Loss(s, t, y, 3, alpha: 0).item<double>(), 1e-16);
        Close(0.0, Distillation.SoftLoss(t, t, 3).item<double>(), 1e-16);
        Close(Distillation.SoftLoss(s, t, 2).item<double>(), Distillation.Loss(s, t, y, 2, alpha: 1).item<double>(), 1e-16);
        // by hand, one example, T = 1: teacher (ln 3, 0) → p = (3/4, 1/4); student (0, 0) → q = (1/2, 1/2);
        // KL = 3/4 ln(3/2) + 1/4 ln(1/2)
        var kl = Distillation.SoftLoss(tensor(new double[,] { { 0, 0 } }), tensor(new double[,] { { Math.Log(3), 0 } }), 1).item<double>();
        Close(0.75 * Math.Log(1.5) + 0.25 * Math.Log(0.5), kl, 1e-15);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var student = Logits("student").requires_grad_();
        var (t, y) = (Logits("teacher"), Labels());
        double error = autograd.gradcheck(() => Distillation.Loss(student, t, y, temperature: 2.5, alpha: 0.6), student);
        Assert.True(error < 1e-6, $"distillation loss gradient error {error}");
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var scope = NewDisposeScope();
        var (s, t, y) = (Logits("student"), Logits("teacher"), Labels());
        Assert.Throws<ArgumentOutOfRangeException>(() => Distillation.Loss(s, t, y, temperature: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Distillation.Loss(s, t, y, alpha: 1.2));
        Assert.Throws<ArgumentException>(() => Distillation.Loss(s, zeros(new long[] { 5, 3 }, float64), y));
        Assert.Throws<ArgumentException>(() => Distillation.Loss(s, t, tensor(new long[] { 0, 1 })));
    }
}
