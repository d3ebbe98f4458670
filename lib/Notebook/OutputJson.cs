using System.Text.Json.Nodes;
using Course.Display;

namespace Course.Notebook;

/// <summary>Converts engine outputs to nbformat 4 output JSON (and MIME bundles to nbformat "data").</summary>
public static class OutputJson
{
    public static JsonObject Data(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            data[mime] = value is JsonNode node ? node.DeepClone() : mime.StartsWith("image/", StringComparison.Ordinal) && mime != MimeTypes.Svg ? (string)value : NotebookCell.ToLines((string)value);
        return data;
    }

    public static JsonObject Metadata(MimeBundle bundle) => (JsonObject)bundle.Metadata.DeepClone();

    /// <summary>The nbformat output for a stream, display_data, execute_result or error (update_display_data has none).</summary>
    public static JsonObject ToJson(CellOutput output) => output switch
    {
        StreamOutput s => new JsonObject { ["output_type"] = "stream", ["name"] = s.Name, ["text"] = NotebookCell.ToLines(s.Text) },
        DisplayDataOutput d => new JsonObject { ["output_type"] = "display_data", ["data"] = Data(d.Bundle), ["metadata"] = Metadata(d.Bundle) },
        ExecuteResultOutput r => new JsonObject { ["output_type"] = "execute_result", ["execution_count"] = r.ExecutionCount, ["data"] = Data(r.Bundle), ["metadata"] = Metadata(r.Bundle) },
        ErrorOutput e => new JsonObject { ["output_type"] = "error", ["ename"] = e.Name, ["evalue"] = e.Value, ["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()) },
        _ => throw new ArgumentException($"{output.GetType().Name} has no nbformat output form.", nameof(output))
    };
}
