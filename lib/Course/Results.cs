using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course;

/// <summary>One measured outcome of a chapter's full run (the book collects them into one results table).</summary>
public sealed record Result(string metric, double value, double seconds, string device);

/// <summary>
/// Writes a chapter's results to artifacts/results/&lt;chapter&gt;.json. Chapters call it in full mode only
/// (fast-mode numbers are not results), so the book's table shows what the full course achieves.
/// </summary>
public static class Results
{
    /// <summary>Saves the results (replacing earlier ones for this chapter); returns the file written.</summary>
    public static string Save(string chapter, IEnumerable<Result> results)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chapter);
        ArgumentNullException.ThrowIfNull(results);
        if (chapter.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || chapter.Contains('/'))
            throw new ArgumentException($"'{chapter}' is not a chapter name (use the notebook's file name without .ipynb).", nameof(chapter));
        var list = new JsonArray();
        foreach (var r in results)
        {
            if (string.IsNullOrWhiteSpace(r.metric)) throw new ArgumentException("a result needs a metric name.", nameof(results));
            if (!double.IsFinite(r.value)) throw new ArgumentException($"result '{r.metric}' is {r.value}; only finite values can be recorded.", nameof(results));
            list.Add(new JsonObject { ["metric"] = r.metric, ["value"] = r.value, ["seconds"] = Math.Round(r.seconds, 3), ["device"] = r.device });
        }
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, chapter + ".json");
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    /// <summary>True when the notebook runs in fast mode (COURSE_FAST=1: small data, few steps).</summary>
    public static bool FastMode => Environment.GetEnvironmentVariable("COURSE_FAST") == "1";

    private static string RepositoryRoot() => CourseEnvironment.RequiredDirectory(CourseEnvironment.Root);
}
