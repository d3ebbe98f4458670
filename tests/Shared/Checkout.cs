// Shared by the test projects (tests/Shared/Checkout.props links it into each one).
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Course.Testing;

/// <summary>
/// The checkout these tests were built from and its builds. Loading a test assembly puts the environment contract that
/// <c>./course setup</c> wrote to artifacts/course.env into the process's environment (see lib/Shared/CourseEnvironment.cs),
/// so the libraries under test, and the runner and kernel processes the tests start, find the checkout's parts however
/// the tests are started. Without that file nothing is set, and the libraries say which variable is missing.
/// </summary>
internal static class Checkout
{
    public static string Root { get; } = Metadata("CourseCheckout");
    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>The build folder of the configuration these tests were built in (release or debug).</summary>
    public static string Config { get; } = Metadata("CourseBuildFolder");

    /// <summary>The notebook runner, built in the same configuration as these tests.</summary>
    public static string RunnerDll => Built("Course.Notebook.Runner", "Course.Notebook.Runner.dll");

    /// <summary>A file of <paramref name="project"/>'s build in this configuration (artifacts/dotnet/bin/&lt;project&gt;/&lt;config&gt;/).</summary>
    public static string Built(string project, string file)
    {
        var path = Path.Combine(Artifacts, "dotnet", "bin", project, Config, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built ({path}); build the solution first.", path);
    }

    [ModuleInitializer]
    internal static void LoadEnvironment()
    {
        var file = Path.Combine(Artifacts, "course.env");
        if (!File.Exists(file)) return;
        foreach (var line in File.ReadLines(file))
        {
            int eq = line.IndexOf('=');
            if (eq > 0) Environment.SetEnvironmentVariable(line[..eq], line[(eq + 1)..]);
        }
    }

    private static string Metadata(string key) =>
        typeof(Checkout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
