namespace Models.Tests;

/// <summary>
/// VanillaRnn's forward pass equals the documented equations, computed here in plain float64 loops (the oracle):
/// a_t = W_xh x_t + W_hh h_{t-1} + b_h,  h_t = tanh(a_t),  y_t = W_hy h_t + b_y,  L = (1 / TB) Σ_t Σ_b CE(y_t, target_t).
/// </summary>
public class RnnForwardTests
{
    private const long T = 5, B = 3, I = 4, H = 6, O = 4;

    private sealed class Weights
    {
        public double[] W_xh = null!, W_hh = null!, b_h = null!, W_hy = null!, b_y = null!;
    }

    // the model's parameters as arrays; the biases are made nonzero first (they start at zero)
    private static (VanillaRnn rnn, Weights w) Model()
    {
        manual_seed(21);
        var rnn = new VanillaRnn(I, H, O, float64);
        using (no_grad())
        {
            using var bh = randn(new[] { H }, float64); rnn.b_h.copy_(bh);
            using var by = randn(new[] { O }, float64); rnn.b_y.copy_(by);
        }
        return (rnn, new Weights
        {
            W_xh = rnn.W_xh.ToArray<double>(), W_hh = rnn.W_hh.ToArray<double>(), b_h = rnn.b_h.ToArray<double>(),
            W_hy = rnn.W_hy.ToArray<double>(), b_y = rnn.b_y.ToArray<double>(),
        });
    }

    // h_t = tanh(W_xh x + W_hh h + b_h) for one sequence's step
    private static double[] Step(Weights w, double[] x, double[] h)
    {
        var next = new double[H];
        for (int i = 0; i < H; i++)
        {
            double a = w.b_h[i];
            for (int j = 0; j < I; j++) a += w.W_xh[i * I + j] * x[j];
            for (int j = 0; j < H; j++) a += w.W_hh[i * H + j] * h[j];
            next[i] = Math.Tanh(a);
        }
        return next;
    }

    // y = W_hy h + b_y
    private static double[] Output(Weights w, double[] h)
    {
        var y = new double[O];
        for (int i = 0; i < O; i++)
        {
            y[i] = w.b_y[i];
            for (int j = 0; j < H; j++) y[i] += w.W_hy[i * H + j] * h[j];
        }
        return y;
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: equations {expected:R}, VanillaRnn {actual:R}");

    [Fact]
    public void HiddenStatesOutputsAndLossFollowTheEquations()
    {
        using var scope = NewDisposeScope();
        var (rnn, w) = Model();
        var xs = randn(new[] { T, B, I }, float64);
        var h0 = randn(new[] { B, H }, float64) * 0.5;
        var targets = randint(O, new[] { T, B });
        double[] x = xs.ToArray<double>(), h0a = h0.ToArray<double>();
        long[] tg = targets.ToArray<long>();

        var hs = rnn.hidden_states(xs, h0);
        var ys = rnn.outputs(hs);
        double loss = rnn.loss(xs, h0, targets).item<double>();
        Assert.Equal((int)T + 1, hs.Length);
        Assert.Equal(new[] { T, B, O }, ys.shape);
        double[] y = ys.contiguous().ToArray<double>();

        double total = 0;
        for (int b = 0; b < B; b++)
        {
            var h = h0a.Skip(b * (int)H).Take((int)H).ToArray();
            for (int t = 0; t < T; t++)
            {
                h = Step(w, x.Skip((int)((t * B + b) * I)).Take((int)I).ToArray(), h);
                var got = hs[t + 1].ToArray<double>();
                for (int i = 0; i < H; i++) Close(h[i], got[b * H + i], $"h_{t + 1}[{b}, {i}]");
                var logits = Output(w, h);
                for (int i = 0; i < O; i++) Close(logits[i], y[(t * B + b) * O + i], $"y_{t + 1}[{b}, {i}]");
                double max = logits.Max();
                double logSumExp = max + Math.Log(logits.Sum(v => Math.Exp(v - max)));
                total += logSumExp - logits[tg[t * B + b]];     // −log softmax(y)[target]
            }
        }
        Close(total / (T * B), loss, "L");
        rnn.Dispose();
    }

    [Fact]
    public void GreedySamplingFeedsEachArgmaxBackAsAOneHotInput()
    {
        using var scope = NewDisposeScope();
        var (rnn, w) = Model();
        var tokens = rnn.sample(start: 1, n: 12, temperature: 0);
        var h = new double[H];
        long token = 1;
        for (int i = 0; i < 12; i++)
        {
            var x = new double[I];
            x[token] = 1;
            h = Step(w, x, h);
            var logits = Output(w, h);
            token = Array.IndexOf(logits, logits.Max());
            Assert.Equal(token, tokens[i]);
        }
        rnn.Dispose();
    }
}
