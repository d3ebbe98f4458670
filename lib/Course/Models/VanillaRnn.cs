namespace Course.Models;

/// <summary>Gradients of the loss with respect to each parameter of a <see cref="VanillaRnn"/>.</summary>
public sealed record RnnGradients(Tensor W_xh, Tensor W_hh, Tensor b_h, Tensor W_hy, Tensor b_y) : IDisposable
{
    public Tensor[] All => new[] { W_xh, W_hh, b_h, W_hy, b_y };
    public void Dispose() { foreach (var t in All) t.Dispose(); }
}

/// <summary>
/// The Elman RNN with its gradients written out by hand, as chapter 3 derives them:
/// <code>
///   a_t = W_xh x_t + W_hh h_{t-1} + b_h,   h_t = tanh(a_t),   y_t = W_hy h_t + b_y
///   L   = (1 / TB) Σ_t Σ_b CE(y_t, target_t)
/// </code>
/// <see cref="bptt"/> runs the chain rule backwards through time; <see cref="rtrl"/> carries the
/// sensitivities ∂h_t/∂θ forwards (real-time recurrent learning). Both equal autograd.
/// Inputs are (T, B, I) float tensors (one-hot characters for the language model).
/// </summary>
public sealed class VanillaRnn : nn.Module
{
    public readonly Parameter W_xh, W_hh, b_h, W_hy, b_y;
    public long input_size { get; }
    public long hidden_size { get; }
    public long output_size { get; }

    public VanillaRnn(long input_size, long hidden_size, long output_size, ScalarType dtype = ScalarType.Float32)
        : base(nameof(VanillaRnn))
    {
        (this.input_size, this.hidden_size, this.output_size) = (input_size, hidden_size, output_size);
        double s = 1 / Math.Sqrt(hidden_size);
        W_xh = nn.Parameter(empty(new[] { hidden_size, input_size }, dtype).uniform_(-s, s));
        W_hh = nn.Parameter(empty(new[] { hidden_size, hidden_size }, dtype).uniform_(-s, s));
        b_h = nn.Parameter(zeros(new[] { hidden_size }, dtype));
        W_hy = nn.Parameter(empty(new[] { output_size, hidden_size }, dtype).uniform_(-s, s));
        b_y = nn.Parameter(zeros(new[] { output_size }, dtype));
        RegisterComponents();
    }

    /// <summary>The hidden states h_0 … h_T (h_0 given) for inputs xs (T, B, I).</summary>
    public Tensor[] hidden_states(Tensor xs, Tensor h0)
    {
        var hs = new Tensor[xs.size(0) + 1];
        hs[0] = h0.alias();
        for (int t = 1; t < hs.Length; t++)
            hs[t] = (F.linear(xs[t - 1], W_xh, b_h) + hs[t - 1].matmul(W_hh.t())).tanh();   // h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)
        return hs;
    }

    /// <summary>Logits y_t for every step: (T, B, O).</summary>
    public Tensor outputs(Tensor[] hs) => F.linear(stack(hs[1..]), W_hy, b_y);

    /// <summary>The mean cross-entropy L over all steps and sequences (differentiable by autograd).</summary>
    public Tensor loss(Tensor xs, Tensor h0, Tensor targets)
    {
        var logits = outputs(hidden_states(xs, h0));
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten());
    }

    /// <summary>
    /// Backpropagation through time, by hand. With <paramref name="dh_norms"/>, also records
    /// ‖∂L/∂h_t‖ for each t (from the last step back to the first).
    /// </summary>
    public RnnGradients bptt(Tensor xs, Tensor h0, Tensor targets, List<double>? dh_norms = null, bool last_step_only = false)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long T = xs.size(0), B = xs.size(1);
        var hs = hidden_states(xs, h0);
        var dy = OutputGradients(outputs(hs), targets, last_step_only);   // ∂L/∂y_t, (T, B, O)

        var dW_xh = zeros_like(W_xh); var dW_hh = zeros_like(W_hh); var db_h = zeros_like(b_h);
        var dW_hy = dy.flatten(0, 1).t().matmul(stack(hs[1..]).flatten(0, 1));   // Σ_t dy_tᵀ h_t
        var db_y = dy.sum(new long[] { 0, 1 });
        var dh_next = zeros_like(h0);                                          // ∂L/∂h_t through h_{t+1}
        for (long t = T; t >= 1; t--)
        {
            var dh = dy[t - 1].matmul(W_hy) + dh_next;                         // ∂L/∂h_t
            dh_norms?.Add(dh.norm().ToDouble());
            var da = dh * (1 - hs[t].square());                                // through tanh
            dW_xh.add_(da.t().matmul(xs[t - 1]));
            dW_hh.add_(da.t().matmul(hs[t - 1]));
            db_h.add_(da.sum(dim: 0));   // dim: 0, not sum(0): in TorchSharp a literal 0 picks sum(ScalarType? type)
            dh_next = da.matmul(W_hh);
        }
        return Keep(new RnnGradients(dW_xh, dW_hh, db_h, dW_hy, db_y));
    }

    /// <summary>
    /// Real-time recurrent learning: the sensitivities P_t = ∂h_t/∂θ_h (θ_h = W_xh, W_hh, b_h) are
    /// carried forward, P_t = diag(1 − h_t²) (∂a_t/∂θ_h + W_hh P_{t−1}), and each step adds
    /// (∂L/∂h_t)ᵀ P_t to the gradient. Memory grows as H²(H + I): meant for small checks.
    /// </summary>
    public RnnGradients rtrl(Tensor xs, Tensor h0, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long T = xs.size(0), B = xs.size(1), H = hidden_size, I = input_size;
        var hs = hidden_states(xs, h0);
        var dy = OutputGradients(outputs(hs), targets, false);
        var eye_ = eye(H, dtype: xs.dtype, device: xs.device);

        long nParams = H * I + H * H + H;
        var P = zeros(new[] { B, H, nParams }, xs.dtype, xs.device);           // ∂h_0/∂θ_h = 0
        var g = zeros(new[] { nParams }, xs.dtype, xs.device);
        for (long t = 1; t <= T; t++)
        {
            // direct dependence of a_t on each parameter: ∂a_t[k]/∂W_xh[i,j] = δ_ki x_t[j], likewise for W_hh with h_{t-1}, and δ_ki for b_h
            var dW_xh = (eye_.view(1, H, H, 1) * xs[t - 1].view(B, 1, 1, I)).reshape(B, H, H * I);
            var dW_hh = (eye_.view(1, H, H, 1) * hs[t - 1].view(B, 1, 1, H)).reshape(B, H, H * H);
            var db = eye_.expand(B, H, H);
            var direct = cat(new[] { dW_xh, dW_hh, db }, 2);
            P = (1 - hs[t].square()).unsqueeze(2) * (direct + W_hh.matmul(P));
            var dh_direct = dy[t - 1].matmul(W_hy);                            // ∂L/∂h_t through y_t only
            g = g + dh_direct.unsqueeze(1).bmm(P).sum(new long[] { 0, 1 });
        }
        var gW_xh = g[..(int)(H * I)].reshape(H, I);
        var gW_hh = g[(int)(H * I)..(int)(H * I + H * H)].reshape(H, H);
        var gb_h = g[(int)(H * I + H * H)..];
        var dW_hy = dy.flatten(0, 1).t().matmul(stack(hs[1..]).flatten(0, 1));
        var db_y = dy.sum(new long[] { 0, 1 });
        return Keep(new RnnGradients(gW_xh.contiguous(), gW_hh.contiguous(), gb_h.contiguous(), dW_hy, db_y));
    }

    /// <summary>Puts hand-computed gradients where an optimizer reads them (param.grad).</summary>
    public void set_gradients(RnnGradients g)
    {
        W_xh.grad = g.W_xh; W_hh.grad = g.W_hh; b_h.grad = g.b_h; W_hy.grad = g.W_hy; b_y.grad = g.b_y;
    }

    /// <summary>Samples n characters, one-hot fed back, starting from token start.</summary>
    public long[] sample(long start, int n, double temperature = 1.0, Tensor? h0 = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var h = h0 ?? zeros(new[] { 1L, hidden_size }, W_xh.dtype, W_xh.device);
        var token = start;
        var result = new long[n];
        for (int i = 0; i < n; i++)
        {
            using var step = NewDisposeScope();
            var x = F.one_hot(tensor(new[] { token }, device: W_xh.device), input_size).to(W_xh.dtype);
            var hNext = (F.linear(x, W_xh, b_h) + h.matmul(W_hh.t())).tanh().MoveToOuterDisposeScope();
            var logits = F.linear(hNext, W_hy, b_y);
            token = Sampling.Sample(logits, temperature).item<long>();
            result[i] = token;
            h = hNext;
        }
        return result;
    }

    // ∂L/∂y_t = (softmax(y_t) − onehot(target_t)) / (number of terms in the mean)
    private static Tensor OutputGradients(Tensor logits, Tensor targets, bool lastStepOnly)
    {
        long T = logits.size(0), B = logits.size(1), O = logits.size(2);
        var dy = (logits.softmax(-1) - F.one_hot(targets, O).to(logits.dtype)) / (lastStepOnly ? B : T * B);
        if (lastStepOnly) dy[..(int)(T - 1)] = zeros(new[] { T - 1, B, O }, logits.dtype, logits.device);
        return dy;
    }

    private static RnnGradients Keep(RnnGradients g)
    {
        foreach (var t in g.All) t.MoveToOuterDisposeScope();
        return g;
    }
}
