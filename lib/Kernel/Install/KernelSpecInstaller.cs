using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Kernel.Install;

/// <summary>
/// Writes the kernelspec "csharp-course" (kernel.json and logos) into a Jupyter data folder: the user's
/// (~/.local/share/jupyter, or $JUPYTER_DATA_DIR, or $XDG_DATA_HOME/jupyter) or &lt;prefix&gt;/share/jupyter.
/// argv starts this very kernel executable, so the spec follows the build it was installed from; env carries the
/// environment contract (<see cref="CourseEnvironment"/>) of the install, since Jupyter starts kernels with its own
/// environment.
/// </summary>
public static class KernelSpecInstaller
{
    /// <summary>The user's Jupyter data folder, found as jupyter_core finds it on Linux.</summary>
    public static string UserDataDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrEmpty(explicitDir)) return explicitDir;
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "jupyter");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home)) throw new InvalidOperationException("no home folder to install the kernelspec into; set JUPYTER_DATA_DIR or use --prefix.");
        return Path.Combine(home, ".local", "share", "jupyter");
    }

    /// <summary>The command line that starts this kernel: the apphost, or dotnet with the kernel's DLL.</summary>
    public static IReadOnlyList<string> KernelCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the kernel cannot tell its own executable path.");
        var dll = typeof(KernelSpecInstaller).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, dll] : [process];
    }

    public static JsonObject KernelJson(IReadOnlyList<string> command)
    {
        // the binding sets OPENBLAS_NUM_THREADS=1 in its own process only (libc setenv, which .NET's Process.Start does
        // not pass on); here it reaches the kernel and every process a notebook starts (README "Speed defaults")
        var env = new JsonObject { ["OPENBLAS_NUM_THREADS"] = "1" };
        foreach (var (name, value) in CourseEnvironment.Values()) env[name] = value;
        // the apphost finds the .NET runtime through DOTNET_ROOT: name the one running now, wherever it is installed
        // (a dev container's dotnet feature, a user-local install), since Jupyter starts kernels with its own environment
        if (DotnetRoot() is { } dotnetRoot) env["DOTNET_ROOT"] = dotnetRoot;
        var argv = new JsonArray(command.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        argv.Add("run");
        argv.Add("--connection-file");
        argv.Add("{connection_file}");
        return new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = KernelInfo.DisplayName,
            ["language"] = KernelInfo.Language,
            ["interrupt_mode"] = "message",
            ["env"] = env,
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
    }

    /// <summary>The .NET installation running this process (…/shared/Microsoft.NETCore.App/&lt;version&gt;/ three levels up).</summary>
    public static string? DotnetRoot()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = runtime is null ? null : Directory.GetParent(runtime)?.Parent?.Parent?.FullName;
        return root is not null && Directory.Exists(Path.Combine(root, "shared")) ? root : Environment.GetEnvironmentVariable("DOTNET_ROOT");
    }

    /// <summary>Installs into <paramref name="dataDirectory"/>/kernels/csharp-course, replacing an older install; returns that folder.</summary>
    public static string Install(string dataDirectory, IReadOnlyList<string>? command = null)
    {
        var folder = Path.Combine(dataDirectory, "kernels", KernelInfo.SpecName);
        Directory.CreateDirectory(folder);
        var json = KernelJson(command ?? KernelCommand()).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        WriteAtomically(Path.Combine(folder, "kernel.json"), System.Text.Encoding.UTF8.GetBytes(json + "\n"));
        WriteAtomically(Path.Combine(folder, "logo-64x64.png"), Logo.Png(64));
        WriteAtomically(Path.Combine(folder, "logo-32x32.png"), Logo.Png(32));
        return folder;
    }

    /// <summary>The kernelspec name of .NET Interactive with the course's environment.</summary>
    public const string InteractiveSpecName = "csharp-course-interactive";

    /// <summary>
    /// The kernel.json that starts .NET Interactive (the dotnet-interactive tool at <paramref name="tool"/>) as a C#
    /// kernel with the course's environment. Its HTTP API listens on loopback only (--http-local-only; the spec that
    /// `dotnet interactive jupyter install` writes listens on every interface); Jupyter's own ports are loopback too.
    /// </summary>
    public static JsonObject InteractiveKernelJson(string tool)
    {
        var json = KernelJson([tool]);
        json["argv"] = new JsonArray(tool, "jupyter", "--default-kernel", "csharp", "--http-local-only", "{connection_file}");
        json["display_name"] = ".NET Interactive C# (course)";
        // "message", not Jupyter's default "signal": SIGINT ends dotnet-interactive 1.0.712001 (with libtorch loaded, with a
        // native assertion), and an interrupt_request it at least survives (it does not cancel a running cell either)
        json["interrupt_mode"] = "message";
        return json;
    }

    /// <summary>
    /// Installs the .NET Interactive kernelspec into <paramref name="dataDirectory"/>/kernels/csharp-course-interactive;
    /// returns that folder. <paramref name="tool"/> must be the dotnet-interactive executable.
    /// </summary>
    public static string InstallInteractive(string dataDirectory, string tool)
    {
        if (!File.Exists(tool)) throw new FileNotFoundException($"the dotnet-interactive tool is not at {tool}; './course setup' installs it into artifacts/tools/dotnet-interactive.", tool);
        var folder = Path.Combine(dataDirectory, "kernels", InteractiveSpecName);
        Directory.CreateDirectory(folder);
        var json = InteractiveKernelJson(Path.GetFullPath(tool)).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        WriteAtomically(Path.Combine(folder, "kernel.json"), System.Text.Encoding.UTF8.GetBytes(json + "\n"));
        WriteAtomically(Path.Combine(folder, "logo-64x64.png"), Logo.Png(64));
        WriteAtomically(Path.Combine(folder, "logo-32x32.png"), Logo.Png(32));
        return folder;
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
