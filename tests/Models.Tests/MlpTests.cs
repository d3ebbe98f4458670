using Course.Models;

namespace Models.Tests;

/// <summary>The MLP: its forward written out by hand, a float64 gradient check, and bad sizes.</summary>
public class MlpTests
{
    [Fact]
    public void Forward_is_relu_layers_then_a_linear_score_layer()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var mlp = new Mlp(12, 5, 4, 3);
        var x = randn(6, 1, 3, 4);
        var h = x.reshape(6, 12);
        h = (h.matmul(mlp.layers[0].weight.t()) + mlp.layers[0].bias!).relu();
        h = (h.matmul(mlp.layers[1].weight.t()) + mlp.layers[1].bias!).relu();
        var expected = h.matmul(mlp.layers[2].weight.t()) + mlp.layers[2].bias!;
        var output = mlp.forward(x);
        Assert.Equal(new long[] { 6, 3 }, output.shape);
        Assert.True((output - expected).abs().max().item<float>() < 1e-6f);
        Assert.Equal(12 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3, mlp.num_parameters());
    }

    [Fact]
    public void Gradients_match_finite_differences_in_float64()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var mlp = new Mlp(6, 5, 3);
        mlp.to(float64);
        var x = randn(4, 6, dtype: float64);
        var y = tensor(new long[] { 0, 2, 1, 2 });
        double error = autograd.gradcheck(() => F.cross_entropy(mlp.forward(x), y), mlp.parameters().ToArray());
        Assert.True(error < 1e-6, $"relative error {error:E2}");
    }

    [Fact]
    public void Bad_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Mlp(10));
        Assert.Throws<ArgumentException>(() => new Mlp(10, 0, 3));
    }
}
