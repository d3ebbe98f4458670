using System.Text.Json.Nodes;
using Torch.Optimizers;

namespace Torch.Tests;

/// <summary>Optimizer updates equal PyTorch's (values from reference/make_reference.py, python3-torch).</summary>
public class OptimTests
{
    private static readonly JsonNode Ref = Reference.Json("optim.json");

    // the *_skip runs leave b without a gradient at some steps: PyTorch then skips b, and its step count
    // (Adam) and its momentum buffer's start (SGD) follow b's own updates
    public static TheoryData<string> Optimizers => new()
    {
        "sgd", "sgd_momentum_wd", "sgd_nesterov", "adam", "adam_wd", "adamw", "adam_skip", "adamw_skip", "sgd_momentum_skip",
    };

    private static Optimizer Make(string name, nn.Parameter[] p, JsonNode args)
    {
        double lr = (double)args["lr"]!;
        double Arg(string k, double d) => args[k] is { } v ? (double)v : d;
        return name switch
        {
            "sgd" => optim.SGD(p, lr),
            "sgd_momentum_wd" or "sgd_momentum_skip" => optim.SGD(p, lr, momentum: Arg("momentum", 0), dampening: Arg("dampening", 0), weight_decay: Arg("weight_decay", 0)),
            "sgd_nesterov" => optim.SGD(p, lr, momentum: Arg("momentum", 0), nesterov: true),
            "adam" or "adam_skip" => optim.Adam(p, lr),
            "adam_wd" => optim.Adam(p, lr, betas: ((double)args["betas"]![0]!, (double)args["betas"]![1]!), eps: Arg("eps", 1e-8), weight_decay: Arg("weight_decay", 0)),
            "adamw" or "adamw_skip" => optim.AdamW(p, lr, weight_decay: Arg("weight_decay", 0)),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void UpdatesEqualPyTorchToFloat32Precision(string name)
    {
        using var scope = NewDisposeScope();
        var W = new nn.Parameter(tensor(Reference.Floats(Ref["W0"]!), new long[] { 3, 4 }));
        var b = new nn.Parameter(tensor(Reference.Floats(Ref["b0"]!)));
        var X = tensor(Reference.Floats(Ref["X"]!), new long[] { 8, 4 });
        var Y = tensor(Reference.Floats(Ref["Y"]!), new long[] { 8, 3 });
        var cfg = Ref["optimizers"]![name]!;
        using var opt = Make(name, new[] { W, b }, cfg["args"]!);
        var bSkips = cfg["b_skips"] is { } skips ? skips.AsArray().Select(i => (int)i!).ToHashSet() : new HashSet<int>();
        foreach (var (expected, i) in cfg["steps"]!.AsArray().Select((e, i) => (e, i)))
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            var loss = bSkips.Contains(i)
                ? (X.matmul(W.t()) - Y).pow(2).mean()
                : (X.matmul(W.t()) + b - Y).pow(2).mean() + 0.1 * b.pow(2).sum();
            loss.backward();
            opt.step();
            Near.Equal(Reference.Floats(expected!["W"]!), W, 2e-6);
            Near.Equal(Reference.Floats(expected["b"]!), b, 2e-6);
        }
        W.Dispose(); b.Dispose();
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        using var scope = NewDisposeScope();
        var used = new nn.Parameter(ones(2));
        var unused = new nn.Parameter(ones(2));
        using var opt = optim.Adam(new[] { used, unused }, lr: 0.1);
        (used * 3).sum().backward();
        opt.step();
        Assert.Equal(new float[] { 1, 1 }, unused.ToArray<float>());
        Assert.All(used.ToArray<float>(), v => Assert.True(v < 1));
    }

    [Fact]
    public void SchedulesEqualPyTorch()
    {
        var s = Ref["schedules"]!;
        void Check(string name, Func<Optimizer, LRScheduler> make)
        {
            using var p = new nn.Parameter(zeros(1));
            using var opt = optim.SGD(new[] { p }, lr: 0.5);
            var sched = make(opt);
            foreach (var expected in Reference.Doubles(s[name]!))
            {
                sched.step();
                Near.Equal(expected, opt.lr, 1e-9);
            }
        }
        Check("step", o => optim.lr_scheduler.StepLR(o, 3, 0.5));
        Check("cosine", o => optim.lr_scheduler.CosineAnnealingLR(o, 10, 0.01));
        Check("linear", o => optim.lr_scheduler.LinearLR(o, 0.1, 1.0, 4));
    }

    [Fact]
    public void WarmupThenCosine()
    {
        using var p = new nn.Parameter(zeros(1));
        using var opt = optim.AdamW(new[] { p }, lr: 1.0);
        var sched = optim.lr_scheduler.WarmupCosineLR(opt, warmup_steps: 4, total_steps: 12, min_lr: 0.1);
        Near.Equal(0.25, opt.lr, 1e-12);
        var lrs = Enumerable.Range(0, 12).Select(_ => { sched.step(); return opt.lr; }).ToArray();
        Near.Equal(new[] { 0.5, 0.75, 1.0, 1.0 }, lrs[..4], 1e-12);
        Assert.True(lrs.Skip(3).Zip(lrs.Skip(4)).All(pair => pair.First >= pair.Second));
        Near.Equal(0.1, lrs[^1], 1e-12);
    }

    [Fact]
    public void ClipGradNormEqualsPyTorch()
    {
        var c = Ref["clip"]!;
        using var scope = NewDisposeScope();
        var p1 = new nn.Parameter(zeros(5, 5));
        var p2 = new nn.Parameter(zeros(7));
        p1.grad = tensor(Reference.Floats(c["g1"]!), new long[] { 5, 5 });
        p2.grad = tensor(Reference.Floats(c["g2"]!));
        double total = nn.utils.clip_grad_norm_(new[] { p1, p2 }, (double)c["max_norm"]!);
        Near.Equal((double)c["total"]!, total, 1e-5);
        Near.Equal(Reference.Floats(c["c1"]!), p1.grad!, 1e-5);
        Near.Equal(Reference.Floats(c["c2"]!), p2.grad!, 1e-5);
        p1.Dispose(); p2.Dispose();
    }
}
