using System.Diagnostics;

namespace Notebook.Tests;

/// <summary>Paths of the repository and a way to run the headless runner as a separate process.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();
    public static string Fixtures => Path.Combine(Root, "tests", "Notebook.Tests", "fixtures");
    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string TestOutput => Path.Combine(Root, "artifacts", "test-notebooks");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Course.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The runner built in the same configuration as these tests (artifacts/dotnet/bin/&lt;project&gt;/&lt;config&gt;/).</summary>
    public static string RunnerDll
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            var dll = Path.Combine(Root, "artifacts", "dotnet", "bin", "Course.Notebook.Runner", config, "Course.Notebook.Runner.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException($"the notebook runner is not built ({dll}); build the solution first.", dll);
            return dll;
        }
    }

    public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static ProcessResult Run(string exe, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(" ", args)} did not finish within {timeout.TotalMinutes:F0} minutes.\n{stdout.Result}\n{stderr.Result}");
        }
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Executes one notebook with the runner in its own process (as CI does).</summary>
    public static ProcessResult Exec(string notebook, string output, bool fast = true, bool png = false, TimeSpan? timeout = null)
    {
        var args = new List<string> { RunnerDll, "exec", notebook, "--out", output };
        if (fast) args.Add("--fast");
        if (!png) args.Add("--no-png");
        return Run("dotnet", args, timeout ?? TimeSpan.FromMinutes(15));
    }

    /// <summary>Validates a notebook against the Jupyter schema with Debian's python3-nbformat; returns null or the error.</summary>
    public static string? NbformatError(string notebook)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return $"{python} is missing (install python3-nbformat)";
        var r = Run(python, ["-c", "import sys, nbformat\nnb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\nnbformat.validate(nb)\nprint('valid')", notebook], TimeSpan.FromMinutes(2));
        return r.ExitCode == 0 && r.Stdout.Contains("valid") ? null : r.ToString();
    }
}
