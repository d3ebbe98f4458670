using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course;

/// <summary>One measured outcome of a chapter's full run (the book collects them into one results table).</summary>
public sealed record Result(string Metric, double Value, double Seconds, string Device);

/// <summary>The results one chapter's full run recorded, and when.</summary>
public sealed record ChapterResults(string Chapter, DateTime RecordedUtc, IReadOnlyList<Result> Items)
{
    /// <summary>The result named <paramref name="metric"/>, or null.</summary>
    public Result? Find(string metric) => Items.FirstOrDefault(r => r.Metric == metric);

    /// <summary>The result named <paramref name="metric"/>; a clear error when the chapter did not record it.</summary>
    public Result this[string metric] => Find(metric)
        ?? throw new KeyNotFoundException($"the full run of {Chapter} recorded no '{metric}' (it has: {string.Join(", ", Items.Select(r => r.Metric))}).");

    /// <summary>"the full run of cnn on 2026-12-02 18:40 UTC".</summary>
    public string Provenance => $"the full run of {Chapter} on {RecordedUtc:yyyy-MM-dd HH:mm} UTC";
}

/// <summary>
/// The results store, artifacts/results/&lt;chapter&gt;.json (artifacts/torchsharp/results/ on TorchSharp, <see cref="Backend"/>): chapters save their headline numbers in full mode only
/// (fast-mode numbers are not results), read other chapters' numbers back, and the book lists them all.
/// </summary>
public static class Results
{
    /// <summary>The folder of the results files.</summary>
    public static string Folder => Path.Combine(Backend.Artifacts(RepositoryRoot()), "results");

    /// <summary>What <paramref name="chapter"/>'s last full run recorded, or null when it has not run in full mode here.</summary>
    public static ChapterResults? Load(string chapter)
    {
        var path = Path.Combine(Folder, CheckName(chapter) + ".json");
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>Every chapter's results, by chapter name.</summary>
    public static IReadOnlyList<ChapterResults> All()
        => Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(Read).ToList()
            : Array.Empty<ChapterResults>();

    private static ChapterResults Read(string path)
    {
        var items = new List<Result>();
        try
        {
            foreach (var node in JsonNode.Parse(File.ReadAllText(path))!.AsArray())
                items.Add(new Result((string)node!["metric"]!, (double)node["value"]!, (double)node["seconds"]!, (string)node["device"]!));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a results file (a JSON array of {{metric, value, seconds, device}}): {e.Message}", e);
        }
        return new ChapterResults(Path.GetFileNameWithoutExtension(path), File.GetLastWriteTimeUtc(path), items);
    }

    private static string CheckName(string chapter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chapter);
        if (chapter.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || chapter.Contains('/'))
            throw new ArgumentException($"'{chapter}' is not a chapter name (use the notebook's file name without .ipynb).", nameof(chapter));
        return chapter;
    }

    /// <summary>Saves the results (replacing earlier ones for this chapter); returns the file written.</summary>
    public static string Save(string chapter, IEnumerable<Result> results)
    {
        CheckName(chapter);
        ArgumentNullException.ThrowIfNull(results);
        var list = new JsonArray();
        foreach (var r in results)
        {
            if (string.IsNullOrWhiteSpace(r.Metric)) throw new ArgumentException("a result needs a metric name.", nameof(results));
            if (!double.IsFinite(r.Value)) throw new ArgumentException($"result '{r.Metric}' is {r.Value}; only finite values can be recorded.", nameof(results));
            list.Add(new JsonObject { ["metric"] = r.Metric, ["value"] = r.Value, ["seconds"] = Math.Round(r.Seconds, 3), ["device"] = r.Device });
        }
        var folder = Folder;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, chapter + ".json");
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    private static string RepositoryRoot() => CourseEnvironment.RequiredDirectory(CourseEnvironment.Root);
}
