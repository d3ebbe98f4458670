using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Notebook;

/// <summary>
/// A Jupyter notebook file (nbformat 4) kept as JSON, so metadata the engine does not know survives a round trip.
/// </summary>
public sealed class NotebookDocument
{
    private NotebookDocument(JsonObject root, string? path)
    {
        Root = root;
        Path = path;
        var cells = root["cells"] as JsonArray ?? throw new InvalidDataException($"{path ?? "notebook"}: no \"cells\" array; is this a Jupyter notebook?");
        Cells = cells.Select((c, i) => c is JsonObject o ? new NotebookCell(o) : throw new InvalidDataException($"{path}: cell {i + 1} is not a JSON object.")).ToList();
    }

    public JsonObject Root { get; }
    public string? Path { get; }
    public IReadOnlyList<NotebookCell> Cells { get; }
    public JsonObject Metadata => Root["metadata"] as JsonObject ?? (JsonObject)(Root["metadata"] = new JsonObject());

    public static NotebookDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook {path} does not exist.", path);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e); }
        return Parse(node, path);
    }

    public static NotebookDocument Parse(JsonNode? node, string? path = null)
    {
        if (node is not JsonObject root) throw new InvalidDataException($"{path ?? "notebook"} is not a JSON object.");
        var major = root["nbformat"]?.GetValue<int>();
        if (major != 4) throw new InvalidDataException($"{path ?? "notebook"} has nbformat {major?.ToString() ?? "(none)"}; only nbformat 4 notebooks are supported.");
        return new NotebookDocument(root, path);
    }

    /// <summary>A new empty notebook with the course's C# kernel metadata.</summary>
    public static NotebookDocument Create() => Parse(new JsonObject
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = KernelMetadata(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    });

    /// <summary>kernelspec and language_info of the course kernel.</summary>
    public static JsonObject KernelMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["name"] = "csharp-course", ["display_name"] = "C# (course)", ["language"] = "C#" },
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#", ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp", ["pygments_lexer"] = "csharp"
        },
    };

    public NotebookCell AddCell(string cellType, string source)
    {
        var cell = new JsonObject { ["cell_type"] = cellType, ["id"] = Guid.NewGuid().ToString("N")[..8], ["metadata"] = new JsonObject(), ["source"] = NotebookCell.ToLines(source) };
        if (cellType == "code") { cell["execution_count"] = null; cell["outputs"] = new JsonArray(); }
        ((JsonArray)Root["cells"]!).Add(cell);
        var c = new NotebookCell(cell);
        ((List<NotebookCell>)Cells).Add(c);
        return c;
    }

    /// <summary>Removes all outputs and execution counts (what a committed notebook looks like).</summary>
    public void ClearOutputs()
    {
        foreach (var c in Cells.Where(c => c.IsCode)) { c.Outputs.Clear(); c.ExecutionCount = null; }
    }

    public string ToJson()
    {
        var json = Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return json + "\n";
    }

    /// <summary>Writes the notebook through a temporary file and a rename, so readers never see half a file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var tmp = full + $".tmp-{Environment.ProcessId}";
        File.WriteAllText(tmp, ToJson(), new UTF8Encoding(false));
        File.Move(tmp, full, overwrite: true);
    }
}
