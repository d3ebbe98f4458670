using System.Text.Json.Nodes;
using Course.Notebook;

namespace Course.Kernel;

/// <summary>The iopub message (type and content) for each output the engine produces.</summary>
public static class OutputMessages
{
    public static (string MsgType, JsonObject Content) For(CellOutput output) => output switch
    {
        StreamOutput s => ("stream", new JsonObject { ["name"] = s.Name, ["text"] = s.Text }),
        DisplayDataOutput d => ("display_data", WithTransient(Bundle(d.Bundle), d.DisplayId)),
        UpdateDisplayDataOutput u => ("update_display_data", WithTransient(Bundle(u.Bundle), u.DisplayId)),
        ExecuteResultOutput r => ("execute_result", With(Bundle(r.Bundle), "execution_count", r.ExecutionCount)),
        ErrorOutput e => ("error", Error(e)),
        _ => throw new ArgumentException($"unknown output {output.GetType().Name}", nameof(output)),
    };

    /// <summary>ename, evalue and traceback, as in an error message and an execute_reply with status error.</summary>
    public static JsonObject Error(ErrorOutput e) => new()
    {
        ["ename"] = e.Name,
        ["evalue"] = e.Value,
        ["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
    };

    /// <summary>
    /// data and metadata of a bundle as the protocol carries them: text as one string (nbformat files split it into
    /// lines, messages do not), JSON types as JSON.
    /// </summary>
    public static JsonObject Bundle(Course.Display.MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            data[mime] = value is JsonNode node ? node.DeepClone() : JsonValue.Create((string)value);
        return new JsonObject { ["data"] = data, ["metadata"] = OutputJson.Metadata(bundle) };
    }

    private static JsonObject WithTransient(JsonObject content, string? displayId)
    {
        content["transient"] = displayId is null ? new JsonObject() : new JsonObject { ["display_id"] = displayId };
        return content;
    }

    private static JsonObject With(JsonObject content, string key, int value)
    {
        content[key] = value;
        return content;
    }
}
