using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Course;
using Course.Bench;
using Torch;

// The engine benchmark: the same training steps timed in C# (this binding) and in PyTorch
// (python3-torch, which loads the very same libtorch files), alternating rounds so that both see
// the same machine state. Prints a table and writes artifacts/bench/engine.json.
//
// Each side runs timed blocks of a few hundred ms; the headline time is the fastest block (noise
// from other processes and the VM only ever adds time, and on our shared 2-vCPU machines it adds a
// lot: the same step moves by 3x between rounds), the median is reported beside it.
//
// PyTorch runs in two configurations: its defaults (1.13: one update per tensor, zero_grad() writes
// zeros) and the faster one that matches what the C# side does (foreach=True, zero_grad(set_to_none=True)).
// The ratio is taken against the faster of the two.
//
// TorchSharp, the other .NET binding, is the third column (the peer): the same workloads written against its API
// (tests/Bench/TorchSharp), in a process of their own, since TorchSharp brings its own libtorch (2.10, CPU, MKL) that
// must not meet Debian's 1.13 in one process. ./course bench builds it and passes its program with --torchsharp;
// without that option the column is left out. torchsharp_ratio = C# / TorchSharp.
//
// Options: `usage` below (./course bench --help).

const string usage = "usage: ./course bench [--rounds 3] [--reps 5] [--rep-ms 400] [--only mlp_small,cnn_28x28] [--out FILE] [--fast] [--no-blas-check] [--strict] [--torchsharp PROGRAM | --no-torchsharp]";
if (args.Any(a => a is "--help" or "-h")) { Console.WriteLine(usage); return 0; }
Options opts;
try { opts = Options.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"course bench: {e.Message}\n{usage}");
    return 2;
}
int threads = torch.get_num_threads();
Console.WriteLine($"libtorch {torch.__version__}, {threads} intra-op threads, OPENBLAS_NUM_THREADS={Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") ?? "(unset; the binding sets 1)"}, CUDA: {torch.cuda.is_available()}");

torch.manual_seed(0);
var all = Workloads.All();
var unknown = opts.Only?.Except(all.Select(w => w.Name)).ToArray() ?? [];
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"course bench: no workload named {string.Join(", ", unknown)}; the workloads are {string.Join(", ", all.Select(w => w.Name))}");
    return 2;
}
var workloads = all.Where(w => opts.Only is null || opts.Only.Contains(w.Name)).ToArray();
var csharp = workloads.ToDictionary(w => w.Name, _ => new List<double>());   // ms/step of every timed block
var pytorchDefault = workloads.ToDictionary(w => w.Name, _ => new List<double>());
var pytorchFast = workloads.ToDictionary(w => w.Name, _ => new List<double>());
var torchsharp = workloads.ToDictionary(w => w.Name, _ => new List<double>());
string? torchsharpLibtorch = null;
if (opts.TorchSharp is null) Console.WriteLine("TorchSharp: left out (no --torchsharp PROGRAM; ./course bench passes it)");

for (int round = 1; round <= opts.Rounds; round++)
{
    foreach (var w in workloads)
        csharp[w.Name].AddRange(Timing.BlocksMs(w.Step, opts.RepMs, opts.Reps));
    foreach (var (config, times) in new[] { ("default", pytorchDefault), ("fast", pytorchFast) })
        foreach (var (name, blocks) in PyTorchSide.Run(threads, opts, workloads.Select(w => w.Name), config))
            times[name].AddRange(blocks);
    if (opts.TorchSharp is not null)
    {
        var peer = TorchSharpSide.Run(opts.TorchSharp, threads, opts, workloads.Select(w => w.Name));
        if (torchsharpLibtorch is null) Console.WriteLine($"TorchSharp: libtorch {peer.libtorch}, {peer.threads} intra-op threads ({opts.TorchSharp})");
        torchsharpLibtorch = peer.libtorch;
        foreach (var (name, blocks) in peer.blocks) torchsharp[name].AddRange(blocks);
    }
    string Last(Dictionary<string, List<double>> times, string name) => times[name].Count == 0 ? "-" : $"{times[name].TakeLast(opts.Reps).Min():F3}";
    Console.WriteLine($"round {round}/{opts.Rounds} (C# / PyTorch default / PyTorch foreach / TorchSharp): " + string.Join(", ", workloads.Select(w =>
        $"{w.Name} {Last(csharp, w.Name)}/{Last(pytorchDefault, w.Name)}/{Last(pytorchFast, w.Name)}/{Last(torchsharp, w.Name)} ms")));
}
// the faster PyTorch configuration of each workload, block by block
var pytorch = workloads.ToDictionary(w => w.Name, w => pytorchDefault[w.Name].Min() <= pytorchFast[w.Name].Min() ? pytorchDefault[w.Name] : pytorchFast[w.Name]);
foreach (var w in workloads) foreach (var d in w.Owned) d.Dispose();

// Why OPENBLAS_NUM_THREADS=1: the same steps in PyTorch with OpenBLAS's own threads left on.
var blasDefault = opts.BlasCheck && pytorch.ContainsKey("mlp_784") && pytorch.ContainsKey("sgemm_2048")
    ? PyTorchSide.Run(threads, opts, new[] { "mlp_784", "sgemm_2048" }, "default", blasThreads: null).ToDictionary(kv => kv.Key, kv => kv.Value.Min()) : null;

var rows = workloads.Select(w =>
{
    double cs = csharp[w.Name].Min(), py = pytorch[w.Name].Min();
    double csMedian = Timing.Median(csharp[w.Name]), pyMedian = Timing.Median(pytorch[w.Name]);
    double? ts = torchsharp[w.Name].Count > 0 ? torchsharp[w.Name].Min() : null;
    return new Row(w.Name, w.Description, Math.Round(cs, 4), Math.Round(py, 4), Math.Round(cs / py, 3),
        double.IsNaN(w.TargetRatio) ? null : w.TargetRatio,
        Math.Round(w.FlopsPerStep / cs / 1e6, 2), Math.Round(w.FlopsPerStep / py / 1e6, 2),
        Math.Round(csMedian, 4), Math.Round(pyMedian, 4), Math.Round(csMedian / pyMedian, 3),
        Math.Round(pytorchDefault[w.Name].Min(), 4), Math.Round(pytorchFast[w.Name].Min(), 4),
        pytorchDefault[w.Name].Min() <= pytorchFast[w.Name].Min() ? "default" : "foreach",
        csharp[w.Name].Count, threads, torch.__version__,
        ts is { } t1 ? Math.Round(t1, 4) : null, ts is { } t2 ? Math.Round(cs / t2, 3) : null,
        ts is { } t3 ? Math.Round(Timing.Median(torchsharp[w.Name]), 4) : null,
        ts is { } t4 ? Math.Round(csMedian / Timing.Median(torchsharp[w.Name]), 3) : null,
        ts is { } t5 ? Math.Round(w.FlopsPerStep / t5 / 1e6, 2) : null, torchsharpLibtorch);
}).ToList();

Console.WriteLine();
Console.WriteLine("ms/step: the fastest timed block of each side; PyTorch: its faster configuration (default, or foreach with set_to_none); median ratio: the medians' ratio; TS: TorchSharp");
Console.WriteLine($"{"workload",-22} {"C# ms",10} {"PT default",11} {"PT foreach",11} {"C#/PyTorch",11} {"target",-14} {"C# GFLOP/s",11} {"PT GFLOP/s",11} {"median ratio",13} {"TS ms",10} {"C#/TS",7} {"TS GFLOP/s",11}");
foreach (var r in rows)
{
    string target = r.target_ratio is { } t ? $"<={t:F2}" + (r.ratio <= t ? " ok" : " MISSED") : "";
    string peer = r.torchsharp_ms is { } tms ? $" {tms,10:F3} {r.torchsharp_ratio,7:F3} {r.torchsharp_gflops,11:F1}" : $" {"-",10} {"-",7} {"-",11}";
    Console.WriteLine($"{r.name,-22} {r.csharp_ms,10:F3} {r.pytorch_default_ms,11:F3} {r.pytorch_foreach_ms,11:F3} {r.ratio,11:F3} {target,-14} {r.csharp_gflops,11:F1} {r.pytorch_gflops,11:F1} {r.median_ratio,13:F3}{peer}");
}

if (blasDefault is not null)
    foreach (var (name, ms) in blasDefault)
        Console.WriteLine($"PyTorch {name} with OpenBLAS threads on (OPENBLAS_NUM_THREADS unset): {ms:F3} ms vs {pytorchDefault[name].Min():F3} ms with 1 (fastest blocks, default configuration)");

Directory.CreateDirectory(Path.GetDirectoryName(opts.Out)!);
var tmp = opts.Out + ".tmp";
File.WriteAllText(tmp, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
File.Move(tmp, opts.Out, overwrite: true);
Console.WriteLine($"\nwrote {opts.Out}");
return rows.Any(r => r.target_ratio is { } t && r.ratio > t) && opts.Strict ? 1 : 0;

internal sealed record Row(string name, string description, double csharp_ms, double pytorch_ms, double ratio, double? target_ratio,
                           double csharp_gflops, double pytorch_gflops, double csharp_median_ms, double pytorch_median_ms, double median_ratio,
                           double pytorch_default_ms, double pytorch_foreach_ms, string pytorch_config,
                           int blocks_per_side, int threads, string libtorch,
                           double? torchsharp_ms, double? torchsharp_ratio, double? torchsharp_median_ms, double? torchsharp_median_ratio,
                           double? torchsharp_gflops, string? torchsharp_libtorch);

internal sealed record Options(int Rounds, int Reps, int RepMs, HashSet<string>? Only, string Out, bool Strict, bool BlasCheck, string? TorchSharp)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(5, 5, 250, null, Path.Combine(CourseEnvironment.RequiredDirectory(CourseEnvironment.Root), "artifacts", "bench", "engine.json"), false, true, null);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--rounds" => o with { Rounds = Positive(Next()) },
                "--reps" => o with { Reps = Positive(Next()) },
                "--rep-ms" => o with { RepMs = Positive(Next()) },
                "--only" => o with { Only = Next().Split(',').ToHashSet() },
                "--out" => o with { Out = Path.GetFullPath(Next()) },
                "--strict" => o with { Strict = true },
                "--no-blas-check" => o with { BlasCheck = false },
                "--torchsharp" => o with { TorchSharp = Path.GetFullPath(Next()) },
                "--no-torchsharp" => o with { TorchSharp = null },
                "--fast" => o with { Rounds = 1, Reps = 3, RepMs = 150, BlasCheck = false },
                _ => throw new ArgumentException($"unknown option {args[i]} (see the header of tests/Bench/Program.cs)"),
            };
        }
        return o;
    }

    private static int Positive(string value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
        ? n : throw new ArgumentException($"'{value}' is not a positive whole number");
}


internal static class TorchSharpSide
{
    public sealed record Result(string libtorch, int threads, Dictionary<string, List<double>> blocks);

    /// <summary>Runs tests/Bench/TorchSharp's program: its own process, its own libtorch (see the header).</summary>
    public static Result Run(string program, int threads, Options o, IEnumerable<string> names)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { threads.ToString(), o.RepMs.ToString(), o.Reps.ToString(), string.Join(",", names) }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the TorchSharp side failed ({program}, exit code {p.ExitCode}): {stderr}");
        return JsonSerializer.Deserialize<Result>(stdout.Result)!;
    }
}

internal static class PyTorchSide
{
    /// <param name="config">"default" (PyTorch's optimizer defaults) or "fast" (foreach and set_to_none); see engine_bench.py</param>
    public static Dictionary<string, List<double>> Run(int threads, Options o, IEnumerable<string> names, string config, string? blasThreads = "1")
    {
        var python = Environment.GetEnvironmentVariable("COURSE_PYTHON") ?? "/usr/bin/python3";
        var script = Path.Combine(AppContext.BaseDirectory, "engine_bench.py");
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, threads.ToString(), o.RepMs.ToString(), o.Reps.ToString(), string.Join(",", names), config }) psi.ArgumentList.Add(a);
        if (blasThreads is null) psi.Environment.Remove("OPENBLAS_NUM_THREADS");
        else psi.Environment["OPENBLAS_NUM_THREADS"] = Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") ?? blasThreads;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the PyTorch side failed ({python} {script}): {stderr}");
        return JsonSerializer.Deserialize<Dictionary<string, List<double>>>(stdout.Result)!;
    }
}
