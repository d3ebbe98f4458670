// The environment contract between the kit's front doors and its libraries. Compiled into each assembly that reads it
// (a linked source file, so that layers which do not reference each other share it without a common assembly).
namespace Course;

/// <summary>
/// Where the checkout's parts are, handed down through environment variables. The front doors set them, once:
/// <c>./course</c> exports them (and writes them to artifacts/course.env), the Jupyter kernelspec carries them in its
/// env, the notebook runner passes them to the processes it starts, and the test projects load artifacts/course.env.
/// The libraries only read them: a missing or wrong value is an error naming the variable, never a guess.
/// </summary>
internal static class CourseEnvironment
{
    /// <summary>The repository checkout (notebooks/, artifacts/).</summary>
    public const string Root = "COURSE_ROOT";

    /// <summary>The native shim, libcoursetorch.so, that the C# binding loads.</summary>
    public const string TorchNative = "COURSE_TORCH_NATIVE";

    /// <summary>plotly.min.js, which charts load in notebooks, the book and the PNG renderer.</summary>
    public const string PlotlyJs = "COURSE_PLOTLY_JS";

    /// <summary>Every variable of the contract (what a front door passes on).</summary>
    public static IReadOnlyList<string> Variables { get; } = [Root, TorchNative, PlotlyJs];

    /// <summary>Every variable of the contract with its value, to hand to a process this one starts; throws when one is unset.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Values() =>
        Variables.Select(variable => KeyValuePair.Create(variable, Required(variable))).ToList();

    /// <summary>The folder <paramref name="variable"/> names; throws when it is unset or the folder does not exist.</summary>
    public static string RequiredDirectory(string variable)
    {
        var path = Required(variable);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"{variable}={path} is not a folder; run './course setup'.");
    }

    /// <summary>The file <paramref name="variable"/> names; throws when it is unset or the file does not exist.</summary>
    public static string RequiredFile(string variable)
    {
        var path = Required(variable);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{variable}={path} does not exist; run './course setup'.", path);
    }

    /// <summary>The value of <paramref name="variable"/>; throws when it is unset or empty.</summary>
    public static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value
            : throw new InvalidOperationException($"the environment variable {variable} is not set; start this through ./course or the Jupyter kernel it installs (after './course setup', artifacts/course.env holds the values).");
}
