using Course.Notebook;

namespace Course.Notebook.Runner;

/// <summary>
/// <c>--torchsharp</c>: runs a chapter on the course library's TorchSharp build by the change a student makes by hand,
/// the first cell's <c>#load "../lib/course.csx"</c> becoming <c>#load "../lib/course.torchsharp.csx"</c> (and, in a
/// chapter that exports to ONNX, <c>#load "../lib/onnx.csx"</c> becoming <c>#load "../lib/onnx.torchsharp.csx"</c>;
/// README, "Two backends"). The executed copy keeps the changed lines, so it shows which backend ran it.
/// </summary>
public static class TorchSharpBackend
{
    public const string CourseLoad = "#load \"../lib/course.csx\"";
    public const string TorchSharpLoad = "#load \"../lib/course.torchsharp.csx\"";
    public const string OnnxLoad = "#load \"../lib/onnx.csx\"";
    public const string OnnxTorchSharpLoad = "#load \"../lib/onnx.torchsharp.csx\"";

    // each load line of the course binding's builds and its TorchSharp counterpart
    private static readonly (string course, string torchsharp)[] Loads = [(CourseLoad, TorchSharpLoad), (OnnxLoad, OnnxTorchSharpLoad)];

    /// <summary>Where executed copies of chapters run on TorchSharp go: artifacts/torchsharp/notebooks/.</summary>
    public static string ExecutedNotebooks(string artifacts) => Path.Combine(artifacts, "torchsharp", "notebooks");

    /// <summary>Whether a chapter is marked as running on TorchSharp: its metadata's <c>course_backends</c> lists
    /// "torchsharp" (the chapters <c>run --torchsharp</c> runs when none is named; the tests run them there).</summary>
    public static bool Supports(string notebook) =>
        NotebookDocument.Load(notebook).Metadata["course_backends"] is System.Text.Json.Nodes.JsonArray backends
        && backends.Any(b => (string?)b == "torchsharp");

    /// <summary>Changes the load lines in every code cell that has them.</summary>
    /// <exception cref="UsageException">no code cell loads lib/course.csx, so there is nothing to switch.</exception>
    public static void Switch(NotebookDocument document, string name)
    {
        int changed = 0;
        foreach (var cell in document.Cells.Where(c => c.IsCode))
        {
            var lines = cell.Source.Split('\n');
            bool hit = false;
            for (int i = 0; i < lines.Length; i++)
                foreach (var (course, torchsharp) in Loads)
                    if (lines[i].Trim() == course)
                    {
                        lines[i] = lines[i].Replace(course, torchsharp, StringComparison.Ordinal);
                        hit = true;
                        if (course == CourseLoad) changed++;
                    }
            if (hit) cell.Source = string.Join('\n', lines);
        }
        if (changed == 0)
            throw new UsageException($"{name} has no line {CourseLoad}, so --torchsharp has nothing to switch.");
    }
}
