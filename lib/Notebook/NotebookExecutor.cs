using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Course.Notebook;

/// <summary>
/// Runs every code cell of a notebook in order in one <see cref="NotebookSession"/> (working directory = the
/// notebook's folder) and records the outputs into the document as Jupyter would: streams merged, display updates
/// applied in place, execution counts set. The run stops at the first failing cell; later cells keep no outputs.
/// </summary>
public static class NotebookExecutor
{
    public static Task<NotebookRunResult> RunAsync(string notebookPath, Action<string>? log = null, CancellationToken cancellationToken = default) =>
        RunAsync(notebookPath, prepare: null, log, cancellationToken);

    /// <summary>Runs the notebook at <paramref name="notebookPath"/> after <paramref name="prepare"/> has changed the
    /// loaded document (the runner's <c>--torchsharp</c> switches the first cell's load line).</summary>
    public static async Task<NotebookRunResult> RunAsync(string notebookPath, Action<NotebookDocument>? prepare, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var document = NotebookDocument.Load(notebookPath);
        prepare?.Invoke(document);
        var full = Path.GetFullPath(notebookPath);
        using var session = new NotebookSession(new SessionOptions
        {
            WorkingDirectory = Path.GetDirectoryName(full)!,
            SourceName = Path.GetFileNameWithoutExtension(full),
        });
        return await RunAsync(document, session, Path.GetFileName(full), log, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<NotebookRunResult> RunAsync(NotebookDocument document, NotebookSession session, string name, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(session);
        document.ClearOutputs();
        var clock = Stopwatch.StartNew();
        var times = new List<TimeSpan>();
        var displays = new Dictionary<string, (JsonArray Outputs, JsonObject Output)>();
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (!cell.IsCode) continue;
            var outputs = cell.Outputs;
            log?.Invoke($"cell {i + 1}");
            var result = await session.ExecuteAsync(cell.Source, o => Record(o, outputs, displays), cancellationToken).ConfigureAwait(false);
            cell.ExecutionCount = result.ExecutionCount;
            times.Add(result.Elapsed);
            if (!result.Succeeded)
                return new NotebookRunResult(name, document, false, i + 1, result.Error, clock.Elapsed, times);
        }
        return new NotebookRunResult(name, document, true, null, null, clock.Elapsed, times);
    }

    private static void Record(CellOutput output, JsonArray outputs, Dictionary<string, (JsonArray, JsonObject)> displays)
    {
        switch (output)
        {
            case StreamOutput s:
                if (outputs.Count > 0 && outputs[^1] is JsonObject last && last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == s.Name)
                    last["text"] = NotebookCell.ToLines(NotebookCell.JoinText(last["text"]) + s.Text);
                else outputs.Add(OutputJson.ToJson(s));
                break;
            case UpdateDisplayDataOutput u:
                if (displays.TryGetValue(u.DisplayId, out var target))
                {
                    target.Item2["data"] = OutputJson.Data(u.Bundle);
                    target.Item2["metadata"] = OutputJson.Metadata(u.Bundle);
                }
                break;
            case DisplayDataOutput d:
                var json = OutputJson.ToJson(d);
                outputs.Add(json);
                if (d.DisplayId is not null) displays[d.DisplayId] = (outputs, json);
                break;
            default:
                outputs.Add(OutputJson.ToJson(output));
                break;
        }
    }
}
