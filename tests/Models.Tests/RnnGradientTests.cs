namespace Models.Tests;

/// <summary>Hand-written BPTT and RTRL equal autograd in float64 (chapter 3's claim).</summary>
public class RnnGradientTests
{
    private static (VanillaRnn rnn, Tensor xs, Tensor h0, Tensor targets) Problem(long T = 6, long B = 3, long I = 5, long H = 7)
    {
        manual_seed(11);
        var rnn = new VanillaRnn(I, H, I, float64);
        var xs = randn(new[] { T, B, I }, float64);
        var h0 = randn(new[] { B, H }, float64) * 0.5;
        var targets = randint(I, new[] { T, B });
        return (rnn, xs, h0, targets);
    }

    private static Tensor[] AutogradGradients(VanillaRnn rnn, Tensor xs, Tensor h0, Tensor targets)
    {
        rnn.zero_grad();
        using (var loss = rnn.loss(xs, h0, targets)) loss.backward();
        return new[] { rnn.W_xh.grad!, rnn.W_hh.grad!, rnn.b_h.grad!, rnn.W_hy.grad!, rnn.b_y.grad! };
    }

    [Fact]
    public void BpttEqualsAutograd()
    {
        using var scope = NewDisposeScope();
        var (rnn, xs, h0, targets) = Problem();
        using var hand = rnn.bptt(xs, h0, targets);
        var auto = AutogradGradients(rnn, xs, h0, targets);
        for (int i = 0; i < 5; i++)
            Assert.True(autograd.max_relative_error(hand.All[i], auto[i]) <= 1e-7, $"parameter {i}: {autograd.max_relative_error(hand.All[i], auto[i])}");
        rnn.Dispose();
    }

    [Fact]
    public void RtrlEqualsAutogradAndBptt()
    {
        using var scope = NewDisposeScope();
        var (rnn, xs, h0, targets) = Problem();
        using var forward = rnn.rtrl(xs, h0, targets);
        using var backward = rnn.bptt(xs, h0, targets);
        var auto = AutogradGradients(rnn, xs, h0, targets);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(autograd.max_relative_error(forward.All[i], auto[i]) <= 1e-7);
            Assert.True(autograd.max_relative_error(forward.All[i], backward.All[i]) <= 1e-7);
        }
        rnn.Dispose();
    }

    [Fact]
    public void AutogradItselfAgreesWithFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (rnn, xs, h0, targets) = Problem(T: 4, B: 2, I: 3, H: 4);
        double err = autograd.gradcheck(() => rnn.loss(xs, h0, targets), rnn.W_hh, rnn.W_xh, rnn.b_h);
        Assert.True(err < 1e-6, $"relative error {err}");
        rnn.Dispose();
    }

    [Fact]
    public void AWrongDerivativeIsCaught()
    {
        // the check is not vacuous: perturbing one gradient entry is detected
        using var scope = NewDisposeScope();
        var (rnn, xs, h0, targets) = Problem();
        using var hand = rnn.bptt(xs, h0, targets);
        var auto = AutogradGradients(rnn, xs, h0, targets);
        var wrong = hand.W_hh.clone();
        wrong[0, 0] = wrong[0, 0] * 1.001;
        Assert.True(autograd.max_relative_error(wrong, auto[1]) > 1e-5);
        rnn.Dispose();
    }

    [Fact]
    public void GradientNormsThroughTimeAreRecordedForEveryStep()
    {
        using var scope = NewDisposeScope();
        var (rnn, xs, h0, targets) = Problem(T: 12);
        var norms = new List<double>();
        using var g = rnn.bptt(xs, h0, targets, norms, last_step_only: true);
        Assert.Equal(12, norms.Count);
        Assert.True(norms[^1] < norms[0], "with small weights the gradient reaching early steps shrinks");
        rnn.Dispose();
    }
}
