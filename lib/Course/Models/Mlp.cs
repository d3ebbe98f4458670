namespace Course.Models;

/// <summary>
/// A multilayer perceptron on flattened inputs: h₀ = flatten(x), h_{l+1} = ReLU(W_l h_l + b_l), and a linear last
/// layer giving the scores. Mlp(784, 200, 200, 10) is the "2NN" of the FedAvg paper (McMahan et al., 2017).
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    public readonly ModuleList<Linear> layers;

    public Mlp(params long[] sizes)
        : base(nameof(Mlp))
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < 2) throw new ArgumentException("give at least the input and output sizes, e.g. Mlp(784, 10).", nameof(sizes));
        if (sizes.Any(s => s < 1)) throw new ArgumentException($"every layer size must be positive: [{string.Join(", ", sizes)}].", nameof(sizes));
        layers = nn.ModuleList(sizes.Zip(sizes.Skip(1), (i, o) => nn.Linear(i, o)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = x.flatten(1);
        foreach (var layer in layers.Take(layers.Count - 1)) h = nn.functional.relu(layer.forward(h));
        return layers[^1].forward(h);
    }
}
