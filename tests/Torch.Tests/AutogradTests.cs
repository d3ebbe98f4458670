namespace Torch.Tests;

public class AutogradTests
{
    [Fact]
    public void BackwardComputesGradients()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2, 3 }, requires_grad: true);
        var y = (x * x * x).sum();      // d/dx x³ = 3x²
        y.backward();
        Assert.Equal(new double[] { 3, 12, 27 }, x.grad!.ToArray<double>());
        // gradients accumulate until reset
        (x * 2).sum().backward();
        Assert.Equal(new double[] { 5, 14, 29 }, x.grad!.ToArray<double>());
        x.grad = null;
        Assert.Null(x.grad);
    }

    [Fact]
    public void BackwardWithAGradientArgument()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        var y = x * 3;
        y.backward(tensor(new float[] { 1, 10 }));
        Assert.Equal(new float[] { 3, 30 }, x.grad!.ToArray<float>());
    }

    [Fact]
    public void NoGradAndDetachStopTheGraph()
    {
        using var scope = NewDisposeScope();
        var x = ones(new long[] { 2 }, requires_grad: true);
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (enable_grad()) Assert.True((x * 2).requires_grad);
        }
        Assert.True(is_grad_enabled());
        Assert.True((x * 2).requires_grad);
        Assert.False((x * 2).detach().requires_grad);
        Assert.True(x.is_leaf);
        Assert.False((x * 2).is_leaf);
    }

    [Fact]
    public void GradModeIsPerThread()
    {
        using (no_grad())
        {
            bool other = true;
            var th = new Thread(() => other = is_grad_enabled());
            th.Start(); th.Join();
            Assert.True(other);
            Assert.False(is_grad_enabled());
        }
    }

    [Fact]
    public void GradcheckAgreesWithAutogradAndCatchesAWrongGradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var w = randn(new long[] { 4, 3 }, float64, requires_grad: true);
        var x = randn(new long[] { 5, 4 }, float64);
        var target = tensor(new long[] { 0, 2, 1, 1, 0 });
        double err = autograd.gradcheck(() => F.cross_entropy(x.matmul(w).tanh(), target), w);
        Assert.True(err < 1e-7, $"relative error {err}");

        // a hand-written gradient that is wrong by a little is caught
        var v = randn(new long[] { 6 }, float64);
        var numeric = autograd.numerical_grad(() => (v * v).sum(), v);
        Assert.True(autograd.max_relative_error(v * 2, numeric) < 1e-8);
        Assert.True(autograd.max_relative_error(v * 2.001, numeric) > 1e-4);
        Assert.Throws<ArgumentException>(() => autograd.numerical_grad(() => v.sum(), randn(3)));
    }
}
