namespace Notebook.Tests;

/// <summary>This project's folders in the checkout, and the runner started as a separate process.</summary>
internal static class Repo
{
    public static string Fixtures => Path.Combine(Checkout.Root, "tests", "Notebook.Tests", "fixtures");
    public static string TestOutput => Path.Combine(Checkout.Artifacts, "test-notebooks");

    /// <summary>Executes one notebook with the runner in its own process (as CI does).</summary>
    public static ChildProcess.Result Exec(string notebook, string output, bool fast = true, bool png = false, TimeSpan? timeout = null, bool torchsharp = false)
    {
        var args = new List<string> { Checkout.RunnerDll, "exec", notebook, "--out", output };
        if (fast) args.Add("--fast");
        if (!png) args.Add("--no-png");
        if (torchsharp) args.Add("--torchsharp");
        return ChildProcess.Run("dotnet", args, timeout ?? TimeSpan.FromMinutes(15));
    }

    /// <summary>Validates a notebook against the Jupyter schema with Debian's python3-nbformat; returns null or the error.</summary>
    public static string? NbformatError(string notebook)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return $"{python} is missing (install python3-nbformat)";
        var r = ChildProcess.Run(python, ["-c", "import sys, nbformat\nnb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\nnbformat.validate(nb)\nprint('valid')", notebook], TimeSpan.FromMinutes(2));
        return r.ExitCode == 0 && r.Stdout.Contains("valid") ? null : r.ToString();
    }
}
