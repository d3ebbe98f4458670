namespace Course.Notebook;

/// <summary>
/// How a whole notebook run ended. On failure <see cref="FailedCell"/> is the 1-based index of the failing cell
/// among all cells (markdown included, as front ends number them) and <see cref="Error"/> its error.
/// </summary>
public sealed record NotebookRunResult(string Notebook, NotebookDocument Document, bool Succeeded, int? FailedCell, ErrorOutput? Error, TimeSpan Elapsed, IReadOnlyList<TimeSpan> CellTimes)
{
    public string Describe() => Succeeded
        ? $"{Notebook}: ok in {Elapsed.TotalSeconds:F1}s"
        : $"{Notebook}: cell {FailedCell} failed: {Error}";
}
