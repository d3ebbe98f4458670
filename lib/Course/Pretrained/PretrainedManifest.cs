using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course;

/// <summary>
/// How a test subset is measured: the first <see cref="Count"/> examples of the <see cref="Split"/> split, scored by
/// <see cref="Metric"/>; <see cref="Options"/> holds what else the evaluation needs (CLIP's prompt set), and
/// <see cref="Definition"/> says it in a sentence.
/// </summary>
public sealed record PretrainedSubset(string Split, int Count, string Metric, double Value, string Definition, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>One standard error of a proportion <paramref name="p"/> measured on <see cref="Count"/> examples.</summary>
    public double StandardError(double p) => Math.Sqrt(p * (1 - p) / Count);
}

/// <summary>
/// The manifest next to a shipped checkpoint (checkpoints/&lt;name&gt;.json): which chapter's full run made the
/// weights and what it recorded, the test-subset metric measured when the file was packaged (and how the subset is
/// defined), the file's size, SHA-256 and storage type, why that size is acceptable, and when it was packaged.
/// </summary>
public sealed record PretrainedManifest(
    string Name,
    string Chapter,
    string Architecture,
    long Parameters,
    string File,
    long Bytes,
    string Sha256,
    string Storage,
    string SizeNote,
    string ResultsChapter,
    DateTime FullRunUtc,
    string HeadlineMetric,
    IReadOnlyList<Result> Recorded,
    PretrainedSubset Subset,
    DateTime PackagedUtc)
{
    /// <summary>The recorded value of the full run's headline metric (the one the subset is compared with).</summary>
    public Result Headline => Recorded.FirstOrDefault(r => r.Metric == HeadlineMetric)
        ?? throw new InvalidDataException($"the manifest of {Name} records no '{HeadlineMetric}' (it has: {string.Join(", ", Recorded.Select(r => r.Metric))}).");

    /// <summary>The manifest as indented JSON (the committed file's text).</summary>
    public string ToJson()
    {
        var node = new JsonObject
        {
            ["name"] = Name,
            ["chapter"] = Chapter,
            ["architecture"] = Architecture,
            ["parameters"] = Parameters,
            ["file"] = File,
            ["bytes"] = Bytes,
            ["sha256"] = Sha256,
            ["storage"] = Storage,
            ["size_note"] = SizeNote,
            ["full_run"] = new JsonObject
            {
                ["results"] = ResultsChapter,
                ["recorded_utc"] = Stamp(FullRunUtc),
                ["headline_metric"] = HeadlineMetric,
                ["metrics"] = new JsonArray(Recorded.Select(r => (JsonNode)new JsonObject
                {
                    ["metric"] = r.Metric, ["value"] = r.Value, ["seconds"] = r.Seconds, ["device"] = r.Device,
                }).ToArray()),
            },
            ["subset"] = new JsonObject
            {
                ["split"] = Subset.Split,
                ["count"] = Subset.Count,
                ["metric"] = Subset.Metric,
                ["value"] = Subset.Value,
                ["definition"] = Subset.Definition,
                ["options"] = new JsonObject(Subset.Options.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            },
            ["packaged_utc"] = Stamp(PackagedUtc),
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Writes the manifest (through a temporary file, so a failure leaves the old one).</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            System.IO.File.WriteAllText(tmp, ToJson(), new UTF8Encoding(false));
            System.IO.File.Move(tmp, path, overwrite: true);
        }
        finally { System.IO.File.Delete(tmp); }
    }

    /// <summary>Reads a manifest; a missing or malformed one is an error naming the file.</summary>
    public static PretrainedManifest Read(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"the manifest {path} is missing (./course checkpoints writes it next to the weights).", path);
        try
        {
            var n = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
            var run = n["full_run"]!.AsObject();
            var subset = n["subset"]!.AsObject();
            return new PretrainedManifest(
                (string)n["name"]!, (string)n["chapter"]!, (string)n["architecture"]!, (long)n["parameters"]!,
                (string)n["file"]!, (long)n["bytes"]!, (string)n["sha256"]!, (string)n["storage"]!, (string)n["size_note"]!,
                (string)run["results"]!, Parse((string)run["recorded_utc"]!), (string)run["headline_metric"]!,
                run["metrics"]!.AsArray().Select(m => new Result((string)m!["metric"]!, (double)m["value"]!, (double)m["seconds"]!, (string)m["device"]!)).ToList(),
                new PretrainedSubset((string)subset["split"]!, (int)subset["count"]!, (string)subset["metric"]!, (double)subset["value"]!,
                    (string)subset["definition"]!, subset["options"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value!)),
                Parse((string)n["packaged_utc"]!));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path} is not a checkpoint manifest ({e.Message}); ./course checkpoints --package-only rewrites it.", e);
        }
    }

    private static string Stamp(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static DateTime Parse(string s) =>
        DateTime.ParseExact(s, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
