// Shared by the test projects that start the runner, the kernel or Python (linked into each one).
using System.Diagnostics;

namespace Course.Testing;

/// <summary>Runs a program to completion and collects what it wrote.</summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>
    /// Runs <paramref name="exe"/> in <paramref name="cwd"/> (default: the checkout) with this process's environment
    /// changed by <paramref name="env"/> (a null value removes the variable); kills it past <paramref name="timeout"/>.
    /// </summary>
    public static Result Run(string exe, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string?>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Checkout.Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
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
        return new Result(p.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }
}
