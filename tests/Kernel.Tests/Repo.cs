using System.Diagnostics;

namespace Kernel.Tests;

/// <summary>Paths of the repository and of the builds these tests drive, and a way to run processes.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();
    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string Python => Path.Combine(Root, "tests", "Kernel.Tests", "python");
    public static string TestOutput => Path.Combine(Root, "artifacts", "test-kernel");

    /// <summary>Debian's Python (not a pyenv one on PATH): it has jupyter_client, nbclient, nbconvert and jupyter_kernel_test.</summary>
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>The build configuration these tests were built in (the folder name above the test assembly).</summary>
    public static string Config => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    public static string KernelExe => Built("Course.Kernel", "Course.Kernel");
    public static string RunnerDll => Built("Course.Notebook.Runner", "Course.Notebook.Runner.dll");

    private static string Built(string project, string file)
    {
        var path = Path.Combine(Root, "artifacts", "dotnet", "bin", project, Config, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"{project} is not built ({path}); build the solution first.", path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Course.sln above {AppContext.BaseDirectory}");
    }

    public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static ProcessResult Run(string exe, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string?>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env)
            {
                if (v is null) psi.Environment.Remove(k);
                else psi.Environment[k] = v;
            }
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{exe} {string.Join(" ", args)} did not finish within {timeout.TotalMinutes:F0} minutes.\n{stdout.Result}\n{stderr.Result}");
        }
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }
}
