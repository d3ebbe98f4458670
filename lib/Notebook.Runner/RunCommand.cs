using System.Diagnostics;
using System.Reflection;

namespace Course.Notebook.Runner;

/// <summary>
/// <c>run [notebook-or-folder ...] [--fast] [--no-book] [--no-png] [--out-dir folder] [--timeout-minutes m] [--torchsharp]</c>: the kit's main job. Each notebook runs in its
/// own process (<c>exec</c>), so native state, seeds and console settings never leak between chapters.
/// </summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var layout = RepoLayout.FromEnvironment();
        var environment = CourseEnvironment.Values(); // checked before the first notebook, handed to each one's process
        var paths = new List<string>();
        bool fast = Environment.GetEnvironmentVariable("COURSE_FAST") == "1", book = true, png = true, torchsharp = false;
        string? outDir = null;
        var limit = TimeSpan.FromMinutes(60);
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--timeout-minutes":
                    limit = i + 1 < args.Length && double.TryParse(args[++i], System.Globalization.CultureInfo.InvariantCulture, out var minutes) && minutes > 0
                        ? TimeSpan.FromMinutes(minutes) : throw new UsageException("--timeout-minutes needs a positive number.");
                    break;
                case "--out-dir": outDir = i + 1 < args.Length ? Path.GetFullPath(args[++i]) : throw new UsageException("--out-dir needs a folder."); break;
                case "--fast": fast = true; break;
                case "--no-book": book = false; break;
                case "--no-png": png = false; break;
                case "--torchsharp": torchsharp = true; break;
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {a}.");
                    paths.Add(a);
                    break;
            }
        }
        // on TorchSharp: executed copies in artifacts/torchsharp/notebooks/, and no book (it shows the course binding's runs)
        if (torchsharp) { outDir ??= TorchSharpBackend.ExecutedNotebooks(layout.Artifacts); book = false; }
        var notebooks = Collect(paths.Count > 0 ? paths : [layout.Notebooks]);
        // on TorchSharp, by default the chapters marked as running there (course_backends in their metadata)
        if (torchsharp && paths.Count == 0) notebooks = notebooks.Where(TorchSharpBackend.Supports).ToList();
        if (notebooks.Count == 0) throw new UsageException($"no notebooks found in {string.Join(", ", paths.DefaultIfEmpty(layout.Notebooks))}.");

        Console.Out.WriteLine($"running {notebooks.Count} notebook{(notebooks.Count == 1 ? "" : "s")}{(fast ? " (fast mode)" : "")}{(torchsharp ? " on TorchSharp" : "")}");
        var timings = new List<(string, TimeSpan)>();
        foreach (var nb in notebooks)
        {
            var copy = outDir is null ? layout.ExecutedCopyOf(nb) : Path.Combine(outDir, Path.GetFileName(nb));
            var display = Path.GetRelativePath(layout.Root, nb);
            Console.Out.WriteLine($"  {display} ...");
            var clock = Stopwatch.StartNew();
            var childArgs = new List<string> { "exec", nb, "--out", copy };
            if (fast) childArgs.Add("--fast");
            if (!png) childArgs.Add("--no-png");
            if (torchsharp) childArgs.Add("--torchsharp");
            int code = await RunChildAsync(childArgs, environment, fast, limit);
            clock.Stop();
            timings.Add((display, clock.Elapsed));
            if (code == TimedOut)
            {
                Console.Error.WriteLine($"course run: {display} did not finish within {limit.TotalMinutes:F0} minutes and was stopped (--timeout-minutes sets the limit).");
                return 1;
            }
            if (code != 0)
            {
                Console.Error.WriteLine($"course run: {display} failed after {clock.Elapsed.TotalSeconds:F1}s (exit code {code}); stopping at the first failure. The executed copy with the error is {Path.GetRelativePath(layout.Root, copy)}.");
                return 1;
            }
            Console.Out.WriteLine($"  {display} ok in {clock.Elapsed.TotalSeconds:F1}s");
        }
        Console.Out.WriteLine("timing:");
        foreach (var (name, t) in timings) Console.Out.WriteLine($"  {t.TotalSeconds,8:F1}s  {name}");
        Console.Out.WriteLine($"  {timings.Sum(t => t.Item2.TotalSeconds),8:F1}s  total");
        if (book && outDir is null)
        {
            var index = BookBuilder.Build(layout);
            Console.Out.WriteLine($"book: {Path.GetRelativePath(layout.Root, index)}");
        }
        return 0;
    }

    /// <summary>The .ipynb files named, folders expanded (sorted, checkpoints skipped).</summary>
    public static List<string> Collect(IEnumerable<string> paths)
    {
        var result = new List<string>();
        foreach (var p in paths)
        {
            var full = Path.GetFullPath(p);
            if (Directory.Exists(full))
                result.AddRange(Directory.EnumerateFiles(full, "*.ipynb", SearchOption.AllDirectories)
                    .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            else if (File.Exists(full) && full.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) result.Add(full);
            else throw new UsageException($"{p} is neither a notebook (.ipynb) nor a folder.");
        }
        return result.Distinct().ToList();
    }

    private const int TimedOut = -1;

    /// <summary>
    /// Runs this program again with <paramref name="args"/> and the environment contract, output going to this console;
    /// TimedOut past the limit.
    /// </summary>
    private static async Task<int> RunChildAsync(IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>> environment, bool fast, TimeSpan limit)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path.");
        var psi = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        if (fast) psi.Environment["COURSE_FAST"] = "1";
        psi.RedirectStandardInput = true;
        using var child = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {self}.");
        child.StandardInput.Close();
        using var timeout = new CancellationTokenSource(limit);
        try { await child.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            return TimedOut;
        }
        return child.ExitCode;
    }
}
