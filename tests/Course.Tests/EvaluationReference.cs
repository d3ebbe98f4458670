using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Tests;

/// <summary>
/// Runs reference/evaluation_reference.py (Debian's python3 with scikit-learn and numpy) on a set of cases and returns
/// its answers: scikit-learn's KFold / StratifiedKFold fold sizes and per-class counts, numpy's least-squares fits.
/// </summary>
internal static class EvaluationReference
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "reference", "evaluation_reference.py");

    private static readonly Lazy<string?> MissingSklearn = new(() =>
    {
        if (!File.Exists(PngReference.Python)) return $"{PngReference.Python} is missing (Debian's python3)";
        var r = ChildProcess.Run(PngReference.Python, ["-c", "import sklearn, numpy"], TimeSpan.FromMinutes(1), Environment());
        return r.ExitCode == 0 ? null : "python3-sklearn or python3-numpy is missing ('sudo apt-get install python3-sklearn python3-numpy')";
    });

    /// <summary>Why the oracle cannot run here, or null.</summary>
    public static string? SklearnMissing => MissingSklearn.Value;

    private static Dictionary<string, string?> Environment() => new() { ["OPENBLAS_NUM_THREADS"] = "1" };

    public static JsonNode Ask(object cases)
    {
        var file = Path.Combine(Path.GetTempPath(), $"evaluation-cases-{System.Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(cases));
        try
        {
            var r = ChildProcess.Run(PngReference.Python, [Script, file], TimeSpan.FromMinutes(3), Environment());
            if (r.ExitCode != 0) throw new InvalidOperationException($"evaluation_reference.py failed: {r}");
            return JsonNode.Parse(r.Stdout)!;
        }
        finally { File.Delete(file); }
    }
}

/// <summary>A test that needs Debian's python3 with scikit-learn and numpy.</summary>
public sealed class SklearnFactAttribute : FactAttribute
{
    public SklearnFactAttribute() { if (EvaluationReference.SklearnMissing is { } why) Skip = why; }
}
