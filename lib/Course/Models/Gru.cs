namespace Course.Models;

/// <summary>
/// A gated recurrent unit (Cho et al., 2014) with an output layer, in PyTorch's gate layout (so its weights load
/// into <c>torch.nn.GRU</c> and back). For each step, with σ the logistic function:
/// <code>
///   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate
///   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate
///   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))   candidate state
///   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
///   y_t = W_hy h_t + b_y
/// </code>
/// Where z_t is near 1 the state is copied forward unchanged, and so is the gradient flowing back through it: that
/// additive path is why a GRU remembers over distances where a vanilla RNN's gradient has vanished.
/// Its gradients come from autograd. Inputs are (T, B, I) float tensors.
/// </summary>
public sealed class Gru : nn.Module
{
    /// <summary>x_t → the three gates' input terms [r | z | n] (3H), PyTorch's weight_ih and bias_ih.</summary>
    public readonly Linear input_gates;
    /// <summary>h_{t-1} → the three gates' recurrent terms [r | z | n] (3H), PyTorch's weight_hh and bias_hh.</summary>
    public readonly Linear hidden_gates;
    public readonly Linear head;
    public long hidden_size { get; }

    public Gru(long input_size, long hidden_size, long output_size)
        : base(nameof(Gru))
    {
        this.hidden_size = hidden_size;
        input_gates = nn.Linear(input_size, 3 * hidden_size);
        hidden_gates = nn.Linear(hidden_size, 3 * hidden_size);
        head = nn.Linear(hidden_size, output_size);
        // PyTorch's GRU draws every weight and bias from U(−1/√H, 1/√H)
        double s = 1 / Math.Sqrt(hidden_size);
        using var _ = no_grad();
        foreach (var p in new[] { input_gates.weight, input_gates.bias!, hidden_gates.weight, hidden_gates.bias! }) p.uniform_(-s, s);
        RegisterComponents();
    }

    /// <summary>One step: h_{t-1} (B, H) and x_t (B, I) → h_t.</summary>
    public Tensor step(Tensor x, Tensor h)
    {
        var xg = input_gates.forward(x).chunk(3, -1);
        var hg = hidden_gates.forward(h).chunk(3, -1);
        var r = (xg[0] + hg[0]).sigmoid();
        var z = (xg[1] + hg[1]).sigmoid();
        var n = (xg[2] + r * hg[2]).tanh();
        return (1 - z) * n + z * h;
    }

    /// <summary>The hidden states h_0 … h_T (h_0 given) for inputs xs (T, B, I).</summary>
    public Tensor[] hidden_states(Tensor xs, Tensor h0)
    {
        var hs = new Tensor[xs.size(0) + 1];
        hs[0] = h0.alias();
        for (int t = 1; t < hs.Length; t++) hs[t] = step(xs[t - 1], hs[t - 1]);
        return hs;
    }

    /// <summary>Logits y_t for every step: (T, B, O).</summary>
    public Tensor outputs(Tensor[] hs) => head.forward(stack(hs[1..]));
}
