namespace Torch.Tests;

/// <summary>F.dropout: the shim's CPU kernel keeps dropout's definition, its gradient and torch.manual_seed.</summary>
public class DropoutTests
{
    [Fact]
    public void EachElementIsDroppedOrScaledAndTheShareDroppedIsP()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        const double p = 0.3;
        var x = randn(new long[] { 400, 500 }, float64).add(5);   // no element is 0 before dropout
        var y = F.dropout(x, p);
        var kept = y.ne(0);
        Assert.True(y.allclose(x * kept / (1 - p), 0, 1e-12), "a kept element is x / (1 - p)");
        double dropped = 1 - kept.to(float64).mean().item<double>();
        Assert.InRange(dropped, p - 0.005, p + 0.005);   // 200,000 draws: 0.005 is 5 standard deviations
        // neighbours are independent: both dropped with probability p²
        double both = kept.logical_not()[.., ..^1].logical_and(kept.logical_not()[.., 1..]).to(float64).mean().item<double>();
        Assert.InRange(both, p * p - 0.005, p * p + 0.005);
    }

    [Fact]
    public void TheGradientIsTheSameMaskScaled()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var x = randn(new long[] { 64, 33 }).add(3).requires_grad_();
        var g = randn(64, 33);
        var y = F.dropout(x, 0.5);
        (y * g).sum().backward();
        Assert.True(x.grad!.allclose(g * y.ne(0) * 2, 0, 0), "dy/dx = M / (1 - p), with the forward pass's mask");
    }

    [Fact]
    public void TheSameSeedDrawsTheSameMask()
    {
        using var scope = NewDisposeScope();
        var x = ones(1000);
        manual_seed(3);
        var a = F.dropout(x, 0.5);
        var b = F.dropout(x, 0.5);
        manual_seed(3);
        Assert.True(F.dropout(x, 0.5).allclose(a, 0, 0));
        Assert.False(b.allclose(a, 0, 0), "each call draws a new mask");
    }

    [Fact]
    public void EvaluationZeroAndOneBehaveAsDefined()
    {
        using var scope = NewDisposeScope();
        var x = randn(10, 10);
        Assert.True(F.dropout(x, 0.5, training: false).allclose(x, 0, 0));
        Assert.True(F.dropout(x, 0).allclose(x, 0, 0));
        Assert.Equal(0.0, F.dropout(x, 1).abs().sum().item<double>());
        Assert.Throws<ArgumentOutOfRangeException>(() => F.dropout(x, 1.5));
    }
}
