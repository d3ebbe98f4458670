using System.Text.Json.Nodes;

namespace Course.Notebook;

/// <summary>One cell of a <see cref="NotebookDocument"/> (a view over its JSON).</summary>
public sealed class NotebookCell(JsonObject node)
{
    public JsonObject Node { get; } = node;

    public string CellType => Node["cell_type"]?.GetValue<string>() ?? throw new InvalidDataException("a cell has no cell_type.");
    public bool IsCode => CellType == "code";

    /// <summary>The cell's text (nbformat stores it as a string or as a list of lines).</summary>
    public string Source
    {
        get => JoinText(Node["source"]);
        set => Node["source"] = ToLines(value);
    }

    public JsonArray Outputs => Node["outputs"] as JsonArray ?? (JsonArray)(Node["outputs"] = new JsonArray());

    public int? ExecutionCount
    {
        get => Node["execution_count"]?.GetValue<int?>();
        set => Node["execution_count"] = value;
    }

    public JsonObject Metadata => Node["metadata"] as JsonObject ?? (JsonObject)(Node["metadata"] = new JsonObject());

    /// <summary>Text as Jupyter stores it: a list of lines, each but the last ending in "\n".</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    /// <summary>A multiline string of nbformat (string or list of strings) as one string.</summary>
    public static string JoinText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => throw new InvalidDataException("expected a string or a list of strings.")
    };
}
