using System.Text.Json.Nodes;

namespace Notebook.Tests;

/// <summary>Reading an executed notebook's outputs in tests.</summary>
internal sealed class Executed(string path)
{
    public JsonObject Root { get; } = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
    public JsonArray Cells => (JsonArray)Root["cells"]!;
    public JsonObject Cell(int number) => (JsonObject)Cells[number - 1]!;
    public List<JsonObject> Outputs(int cell) => ((JsonArray?)Cell(cell)["outputs"] ?? []).OfType<JsonObject>().ToList();

    public static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => x!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => ""
    };

    public static string Data(JsonObject output, string mime) => Text(output["data"]?[mime]);
}
