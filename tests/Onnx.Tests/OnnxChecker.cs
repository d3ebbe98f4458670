namespace Onnx.Tests;

/// <summary>The oracle of the file format: reference/check_onnx.py run by Debian's python3 with python3-onnx.</summary>
internal static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";
    public static string Script => Path.Combine(AppContext.BaseDirectory, "reference", "check_onnx.py");

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} is missing (Debian's python3)";
        var r = ChildProcess.Run(Python, ["-c", "import onnx.checker"], TimeSpan.FromMinutes(1));
        return r.ExitCode == 0 ? null : "python3-onnx is missing ('sudo apt-get install python3-onnx')";
    });

    /// <summary>Why the checker cannot run here, or null.</summary>
    public static string? Unavailable => Missing.Value;

    /// <summary>Runs the checker on the files; the result holds its exit code and messages.</summary>
    public static ChildProcess.Result Check(params string[] paths) => ChildProcess.Run(Python, [Script, .. paths], TimeSpan.FromMinutes(2));
}

/// <summary>A test that needs Debian's python3-onnx.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute() { if (OnnxChecker.Unavailable is { } why) Skip = why; }
}

/// <summary>A test that needs Fashion-MNIST (Debian package dataset-fashion-mnist).</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        try { Course.FashionMnist.Folder(); }
        catch (FileNotFoundException e) { Skip = e.Message; }
    }
}
