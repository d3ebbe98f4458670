namespace Kernel.Tests;

/// <summary>
/// A private Jupyter data folder (artifacts/test-kernel/jupyter) holding the kernelspec installed by the kernel built
/// with these tests, so the tests never touch the user's kernels: "csharp-course" and "csharp-course-interactive" (.NET
/// Interactive) as `./course kernel install` writes them, and "csharp-course-hb", the same kernel started with --no-parent-watch --heartbeat-timeout 3.
/// Python runs with JUPYTER_DATA_DIR pointing there.
/// </summary>
public sealed class JupyterEnvironment
{
    public JupyterEnvironment()
    {
        if (!File.Exists(Repo.DebianPython)) throw new FileNotFoundException($"{Repo.DebianPython} is missing; './course setup' installs the Jupyter packages.");
        DataDirectory = Path.Combine(Repo.TestOutput, "jupyter");
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
        if (!File.Exists(InteractiveTool)) throw new FileNotFoundException($"{InteractiveTool} is missing; './course setup' installs the dotnet-interactive tool.");
        var install = ChildProcess.Run(Repo.KernelExe, ["install", "--data-dir", DataDirectory, "--dotnet-interactive", InteractiveTool], TimeSpan.FromMinutes(1));
        if (install.ExitCode != 0) throw new InvalidOperationException($"installing the kernelspec failed:\n{install}");
        InstallOutput = install.Stdout;
        var spec = Path.Combine(DataDirectory, "kernels", "csharp-course", "kernel.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(spec))!.AsObject();
        var argv = json["argv"]!.AsArray();
        argv.Add("--no-parent-watch");
        argv.Add("--heartbeat-timeout");
        argv.Add("3");
        json["display_name"] = "C# (course, heartbeat timeout)";
        var hb = Path.Combine(DataDirectory, "kernels", "csharp-course-hb");
        Directory.CreateDirectory(hb);
        File.WriteAllText(Path.Combine(hb, "kernel.json"), json.ToJsonString());
    }

    public string DataDirectory { get; }

    /// <summary>The dotnet-interactive tool that ./course setup installs.</summary>
    public static string InteractiveTool => Path.Combine(Checkout.Artifacts, "tools", "dotnet-interactive", "dotnet-interactive");
    public string InstallOutput { get; }

    /// <summary>
    /// Environment for Debian's Python: this data folder, no pyenv or user site leaking in, and none of the course's
    /// environment contract, so kernels get it from their kernelspec alone (as when VS Code starts them).
    /// </summary>
    public Dictionary<string, string?> Env(bool fast = true)
    {
        var env = new Dictionary<string, string?>
        {
            ["JUPYTER_DATA_DIR"] = DataDirectory,
            ["JUPYTER_PATH"] = null,
            ["PYTHONPATH"] = null,
            ["PYTHONHOME"] = null,
            ["PYTHONNOUSERSITE"] = "1",
            ["PYTHONUNBUFFERED"] = "1", // what a scenario printed before a timeout reaches the failure message
            ["COURSE_FAST"] = fast ? "1" : null,
        };
        foreach (var variable in Course.CourseEnvironment.Variables) env[variable] = null;
        return env;
    }

    internal ChildProcess.Result Python(IEnumerable<string> args, TimeSpan timeout, string? cwd = null, bool fast = true) =>
        ChildProcess.Run(Repo.DebianPython, args, timeout, Env(fast), cwd ?? Repo.Python);
}

[CollectionDefinition("jupyter")]
public sealed class JupyterCollection : ICollectionFixture<JupyterEnvironment>;
