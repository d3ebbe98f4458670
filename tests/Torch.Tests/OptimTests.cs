using System.Text.Json.Nodes;
using Torch.Modules;

namespace Torch.Tests;

/// <summary>optim.Optimizer updates equal PyTorch's (values from reference/make_reference.py, python3-torch).</summary>
public class OptimTests
{
    private static readonly JsonNode Ref = Reference.Json("optim.json");

    // the *_skip runs leave b without a gradient at some steps: PyTorch then skips b, and its step count
    // (Adam) and its momentum buffer's start (SGD) follow b's own updates
    public static TheoryData<string> Optimizers => new()
    {
        "sgd", "sgd_momentum_wd", "sgd_nesterov", "adam", "adam_wd", "adamw", "adam_skip", "adamw_skip", "sgd_momentum_skip",
    };

    private static optim.Optimizer Make(string name, Parameter[] p, JsonNode args)
    {
        double lr = (double)args["lr"]!;
        double Arg(string k, double d) => args[k] is { } v ? (double)v : d;
        return name switch
        {
            "sgd" => optim.SGD(p, lr),
            "sgd_momentum_wd" or "sgd_momentum_skip" => optim.SGD(p, lr, momentum: Arg("momentum", 0), dampening: Arg("dampening", 0), weight_decay: Arg("weight_decay", 0)),
            "sgd_nesterov" => optim.SGD(p, lr, momentum: Arg("momentum", 0), nesterov: true),
            "adam" or "adam_skip" => optim.Adam(p, lr),
            "adam_wd" => optim.Adam(p, lr, beta1: (double)args["betas"]![0]!, beta2: (double)args["betas"]![1]!, eps: Arg("eps", 1e-8), weight_decay: Arg("weight_decay", 0)),
            "adamw" or "adamw_skip" => optim.AdamW(p, lr, weight_decay: Arg("weight_decay", 0)),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void UpdatesEqualPyTorchToFloat32Precision(string name)
    {
        using var scope = NewDisposeScope();
        var W = nn.Parameter(tensor(Reference.Floats(Ref["W0"]!), new long[] { 3, 4 }));
        var b = nn.Parameter(tensor(Reference.Floats(Ref["b0"]!)));
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

    // ---- float64 updates: each step's change of the parameters equals PyTorch's to 1e-6 relative, element by element ----

    // every configuration of reference/make_reference.py's updates64 (EveryFloat64ConfigurationIsTested checks the list)
    private static readonly string[] Float64Names =
    {
        "sgd", "sgd_weight_decay", "sgd_momentum", "sgd_momentum_dampening_wd", "sgd_nesterov", "sgd_nesterov_wd", "sgd_momentum_skip",
        "adam", "adam_betas_eps_wd", "adam_skip", "adamw", "adamw_betas_eps", "adamw_skip",
        "adagrad", "adagrad_eps", "adagrad_all_options", "adagrad_skip",
        "rmsprop", "rmsprop_centered", "rmsprop_momentum", "rmsprop_all_options", "rmsprop_skip",
    };
    public static TheoryData<string> Float64Optimizers => new(Float64Names);

    // PyTorch's defaults stand in for the options a configuration leaves out (DefaultsArePyTorchs checks the factories' own)
    private static optim.Optimizer Make64(string name, Parameter[] p, JsonNode args)
    {
        double lr = (double)args["lr"]!;
        double Arg(string k, double d) => args[k] is { } v ? (double)v : d;
        bool Flag(string k) => args[k] is { } v && (bool)v;
        (double, double) Betas() => args["betas"] is { } b ? ((double)b[0]!, (double)b[1]!) : (0.9, 0.999);
        return name.Split('_')[0] switch
        {
            "sgd" => optim.SGD(p, lr, momentum: Arg("momentum", 0), dampening: Arg("dampening", 0), weight_decay: Arg("weight_decay", 0), nesterov: Flag("nesterov")),
            "adam" => optim.Adam(p, lr, beta1: Betas().Item1, beta2: Betas().Item2, eps: Arg("eps", 1e-8), weight_decay: Arg("weight_decay", 0)),
            "adamw" => optim.AdamW(p, lr, beta1: Betas().Item1, beta2: Betas().Item2, eps: Arg("eps", 1e-8), weight_decay: Arg("weight_decay", 0.01)),
            "adagrad" => optim.Adagrad(p, lr, lr_decay: Arg("lr_decay", 0), weight_decay: Arg("weight_decay", 0),
                                       initial_accumulator_value: Arg("initial_accumulator_value", 0), eps: Arg("eps", 1e-10)),
            "rmsprop" => optim.RMSprop(p, lr, alpha: Arg("alpha", 0.99), eps: Arg("eps", 1e-8), weight_decay: Arg("weight_decay", 0),
                                       momentum: Arg("momentum", 0), centered: Flag("centered")),
            _ => throw new ArgumentException(name),
        };
    }

    // |ours − PyTorch's| ≤ 1e-6 |PyTorch's| for every element; the floor, 1e-12 of the largest element, only keeps
    // elements that cancel to ~0 from failing on float64 rounding (where PyTorch's update is exactly 0, ours must be too)
    private static void UpdateEqual(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double floor = 1e-12 * expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + floor,
                $"{what}[{i}]: PyTorch's update {expected[i]:R}, ours {actual[i]:R} (relative difference {Math.Abs(actual[i] - expected[i]) / Math.Abs(expected[i]):E2})");
    }

    [Theory]
    [MemberData(nameof(Float64Optimizers))]
    public void UpdatesEqualPyTorchsInFloat64(string name)
    {
        var r = Ref["updates64"]!;
        var cfg = r["optimizers"]![name]!;
        using var scope = NewDisposeScope();
        var W = nn.Parameter(tensor(Reference.Doubles(r["W0"]!), new long[] { 3, 4 }));
        var b = nn.Parameter(tensor(Reference.Doubles(r["b0"]!)));
        var X = tensor(Reference.Doubles(r["X"]!), new long[] { 8, 4 });
        var Y = tensor(Reference.Doubles(r["Y"]!), new long[] { 8, 3 });
        Assert.Equal(float64, W.dtype);
        double scale = (double)cfg["scale"]!;
        var bSkips = cfg["b_skips"]!.AsArray().Select(i => (int)i!).ToHashSet();
        using var opt = Make64(name, new[] { W, b }, cfg["args"]!);
        var steps = cfg["steps"]!.AsArray();
        Assert.Equal(6, steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            var loss = bSkips.Contains(i)
                ? scale * (X.matmul(W.t()) - Y).pow(2).mean()
                : scale * ((X.matmul(W.t()) + b - Y).pow(2).mean() + 0.1 * b.pow(2).sum());
            loss.backward();
            double[] W0 = W.ToArray<double>(), b0 = b.ToArray<double>();
            opt.step();
            UpdateEqual(Reference.Doubles(steps[i]!["dW"]!), W.ToArray<double>().Zip(W0, (after, before) => after - before).ToArray(), $"step {i + 1}, W");
            UpdateEqual(Reference.Doubles(steps[i]!["db"]!), b.ToArray<double>().Zip(b0, (after, before) => after - before).ToArray(), $"step {i + 1}, b");
        }
        W.Dispose(); b.Dispose();
    }

    [Fact]
    public void EveryFloat64ConfigurationIsTested()
    {
        var inReference = Ref["updates64"]!["optimizers"]!.AsObject().Select(kv => kv.Key).Order();
        Assert.Equal(inReference, Float64Names.Order());
    }

    [Fact]
    public void DefaultsArePyTorchs()
    {
        using var p = nn.Parameter(zeros(2));
        using (var adam = optim.Adam(new[] { p }))
            Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 0.0), (adam.lr, adam.beta1, adam.beta2, adam.eps, adam.weight_decay));
        using (var adamw = optim.AdamW(new[] { p }))
            Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 0.01), (adamw.lr, adamw.beta1, adamw.beta2, adamw.eps, adamw.weight_decay));
        using (var sgd = optim.SGD(new[] { p }, learningRate: 0.1))
            Assert.Equal((0.0, 0.0, 0.0, false), (sgd.momentum, sgd.dampening, sgd.weight_decay, sgd.nesterov));
        using (var adagrad = optim.Adagrad(new[] { p }))
            Assert.Equal((1e-2, 0.0, 0.0, 0.0, 1e-10), (adagrad.lr, adagrad.lr_decay, adagrad.weight_decay, adagrad.initial_accumulator_value, adagrad.eps));
        using (var rmsprop = optim.RMSprop(new[] { p }))
            Assert.Equal((1e-2, 0.99, 1e-8, 0.0, 0.0, false), (rmsprop.lr, rmsprop.alpha, rmsprop.eps, rmsprop.weight_decay, rmsprop.momentum, rmsprop.centered));
    }

    [Fact]
    public void AdagradAndRmspropRefuseNegativeOptions()
    {
        using var p = nn.Parameter(zeros(2));
        var ps = new[] { p };
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.Adagrad(ps, lr: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.Adagrad(ps, lr_decay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.Adagrad(ps, weight_decay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.Adagrad(ps, initial_accumulator_value: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.Adagrad(ps, eps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.RMSprop(ps, lr: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.RMSprop(ps, alpha: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.RMSprop(ps, eps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.RMSprop(ps, weight_decay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.RMSprop(ps, momentum: -1));
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        using var scope = NewDisposeScope();
        var used = nn.Parameter(ones(2));
        var unused = nn.Parameter(ones(2));
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
        void Check(string name, Func<optim.Optimizer, optim.lr_scheduler.LRScheduler> make)
        {
            using var p = nn.Parameter(zeros(1));
            using var opt = optim.SGD(new[] { p }, learningRate: 0.5);
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
    public void LambdaLRScalesTheBaseRateByTheFactorOfTheStepLikePyTorch()
    {
        using var p = nn.Parameter(zeros(1));
        using var opt = optim.AdamW(new[] { p }, lr: 1.0);
        // the factor make_reference.py gives PyTorch's LambdaLR: warm-up over 4 steps, cosine to 0.1 at step 12
        double Factor(int step) => step < 4 ? step / 4.0 : 0.1 + 0.9 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (step - 4) / 8.0))) / 2;
        var sched = optim.lr_scheduler.LambdaLR(opt, Factor);
        var lrs = new List<double> { opt.lr };
        for (int i = 0; i < 14; i++) { sched.step(); lrs.Add(opt.lr); }
        Near.Equal(Reference.Doubles(Ref["schedules"]!["warmup_cosine"]!), lrs, 1e-12);
        using var half = optim.SGD(new[] { p }, learningRate: 0.5);
        var constant = optim.lr_scheduler.LambdaLR(half, _ => 0.2);
        Near.Equal(0.1, half.lr, 1e-15);
        constant.step();
        Near.Equal(0.1, half.lr, 1e-15);
    }

    [Fact]
    public void ClipGradNormEqualsPyTorch()
    {
        var c = Ref["clip"]!;
        using var scope = NewDisposeScope();
        var p1 = nn.Parameter(zeros(5, 5));
        var p2 = nn.Parameter(zeros(7));
        p1.grad = tensor(Reference.Floats(c["g1"]!), new long[] { 5, 5 });
        p2.grad = tensor(Reference.Floats(c["g2"]!));
        double total = nn.utils.clip_grad_norm_(new[] { p1, p2 }, (double)c["max_norm"]!);
        Near.Equal((double)c["total"]!, total, 1e-5);
        Near.Equal(Reference.Floats(c["c1"]!), p1.grad!, 1e-5);
        Near.Equal(Reference.Floats(c["c2"]!), p2.grad!, 1e-5);
        p1.Dispose(); p2.Dispose();
    }
}
