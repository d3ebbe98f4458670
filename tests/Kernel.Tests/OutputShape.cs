using System.Text.Json.Nodes;

namespace Kernel.Tests;

/// <summary>
/// What must match between two executions of a notebook: per code cell, whether it ran and failed, and the kinds of
/// its outputs with their MIME types (values differ: timings, random initial weights). Consecutive stream outputs of
/// one name count as one (front ends merge them when they save).
/// </summary>
internal static class OutputShape
{
    public static List<string> OfCells(string notebookPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(notebookPath))!.AsObject();
        var cells = new List<string>();
        int number = 0;
        foreach (var cell in root["cells"]!.AsArray().OfType<JsonObject>())
        {
            number++;
            if (cell["cell_type"]?.GetValue<string>() != "code") continue;
            var parts = new List<string>();
            foreach (var output in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var type = output["output_type"]!.GetValue<string>();
                var part = type switch
                {
                    "stream" => $"stream/{output["name"]}",
                    "error" => $"error/{output["ename"]}",
                    _ => $"{type}[{string.Join(",", (output["data"] as JsonObject ?? []).Select(kv => kv.Key).Order(StringComparer.Ordinal))}]",
                };
                if (type == "stream" && parts.Count > 0 && parts[^1] == part) continue;
                parts.Add(part);
            }
            var ran = cell["execution_count"] is JsonValue ? "ran" : "not run";
            cells.Add($"cell {number} ({ran}): {string.Join(" ", parts)}");
        }
        return cells;
    }
}
