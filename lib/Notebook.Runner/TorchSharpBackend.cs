using Course.Notebook;

namespace Course.Notebook.Runner;

/// <summary>
/// <c>--torchsharp</c>: runs a chapter on the course library's TorchSharp build by the one change a student makes by
/// hand, the first cell's <c>#load "../lib/course.csx"</c> becoming <c>#load "../lib/course.torchsharp.csx"</c>
/// (README, "Two backends"). The executed copy keeps the changed line, so it shows which backend ran it.
/// </summary>
public static class TorchSharpBackend
{
    public const string CourseLoad = "#load \"../lib/course.csx\"";
    public const string TorchSharpLoad = "#load \"../lib/course.torchsharp.csx\"";

    /// <summary>Where executed copies of chapters run on TorchSharp go: artifacts/torchsharp/notebooks/.</summary>
    public static string ExecutedNotebooks(RepoLayout layout) => Path.Combine(layout.Artifacts, "torchsharp", "notebooks");

    /// <summary>Whether a chapter is marked as running on TorchSharp: its metadata's <c>course_backends</c> lists
    /// "torchsharp" (the chapters <c>run --torchsharp</c> runs when none is named; the tests run them there).</summary>
    public static bool Supports(string notebook) =>
        NotebookDocument.Load(notebook).Metadata["course_backends"] is System.Text.Json.Nodes.JsonArray backends
        && backends.Any(b => (string?)b == "torchsharp");

    /// <summary>Changes the load line in every code cell that has it.</summary>
    /// <exception cref="UsageException">no code cell loads lib/course.csx, so there is nothing to switch.</exception>
    public static void Switch(NotebookDocument document, string name)
    {
        int changed = 0;
        foreach (var cell in document.Cells.Where(c => c.IsCode))
        {
            var lines = cell.Source.Split('\n');
            bool hit = false;
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].Trim() == CourseLoad) { lines[i] = lines[i].Replace(CourseLoad, TorchSharpLoad, StringComparison.Ordinal); hit = true; }
            if (!hit) continue;
            cell.Source = string.Join('\n', lines);
            changed++;
        }
        if (changed == 0)
            throw new UsageException($"{name} has no line {CourseLoad}, so --torchsharp has nothing to switch.");
    }
}
