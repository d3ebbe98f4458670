using System.Text.Json.Nodes;

namespace Models.Tests;

/// <summary>The GRU against torch.nn.GRU (reference/gru.json, float64) and against finite differences.</summary>
public class GruTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "gru.json")))!;
    private static double[] D(string key) => Ref[key]!.AsArray().Select(x => (double)x!).ToArray();
    private static Tensor T(string key, params long[] shape) => tensor(D(key), shape);
    private static double Gap(Tensor a, double[] b) => a.ToArray<double>().Zip(b).Max(p => Math.Abs(p.First - p.Second));

    private static (Gru gru, Tensor xs, Tensor h0, Tensor G, long[] sizes) Load()
    {
        var sizes = Ref["sizes"]!.AsArray().Select(x => (long)x!).ToArray();
        var (I, H, O, Tn, B) = (sizes[0], sizes[1], sizes[2], sizes[3], sizes[4]);
        var gru = new Gru(I, H, O);
        gru.to(float64);
        using (no_grad())
        {
            gru.input_gates.weight.copy_(T("weight_ih", 3 * H, I)); gru.input_gates.bias!.copy_(T("bias_ih", 3 * H));
            gru.hidden_gates.weight.copy_(T("weight_hh", 3 * H, H)); gru.hidden_gates.bias!.copy_(T("bias_hh", 3 * H));
            gru.head.weight.copy_(T("head_weight", O, H)); gru.head.bias!.copy_(T("head_bias", O));
        }
        return (gru, T("xs", Tn, B, I), T("h0", B, H).requires_grad_(), T("G", Tn, B, O), sizes);
    }

    [Fact]
    public void OutputsAndGradientsEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        var (gru, xs, h0, G, _) = Load();
        var hs = gru.hidden_states(xs, h0);
        var logits = gru.outputs(hs);
        Assert.True(Gap(stack(hs[1..]), D("states")) < 1e-12, "hidden states differ from torch.nn.GRU");
        Assert.True(Gap(logits, D("logits")) < 1e-12, "outputs differ from torch.nn.GRU");
        (G * logits).sum().backward();
        Assert.True(Gap(gru.input_gates.weight.grad!, D("grad_weight_ih")) < 1e-12);
        Assert.True(Gap(gru.hidden_gates.weight.grad!, D("grad_weight_hh")) < 1e-12);
        Assert.True(Gap(gru.input_gates.bias!.grad!, D("grad_bias_ih")) < 1e-12);
        Assert.True(Gap(gru.hidden_gates.bias!.grad!, D("grad_bias_hh")) < 1e-12);
        Assert.True(Gap(h0.grad!, D("grad_h0")) < 1e-12);
    }

    [Fact]
    public void AutogradAgreesWithFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (gru, xs, h0, G, _) = Load();
        double error = autograd.gradcheck(() => (G * gru.outputs(gru.hidden_states(xs, h0))).sum(), gru.hidden_gates.weight);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void AnUpdateGateOfOneCopiesTheState()
    {
        using var scope = NewDisposeScope();
        var gru = new Gru(2, 3, 2);
        using (no_grad())
        {
            gru.input_gates.bias!.zero_(); gru.hidden_gates.bias!.zero_();
            gru.input_gates.bias![3..6].fill_(50.0);   // z = σ(50) ≈ 1: keep the old state
        }
        var h = randn(4, 3);
        var next = gru.step(randn(4, 2), h);
        Assert.True((next - h).abs().max().item<float>() < 1e-6, "with z = 1 the state must pass through unchanged");
    }
}
