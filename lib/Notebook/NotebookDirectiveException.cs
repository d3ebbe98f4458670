namespace Course.Notebook;

/// <summary>A cell uses a directive or magic command that the engine cannot honour.</summary>
public sealed class NotebookDirectiveException(string message, int line) : Exception(message)
{
    /// <summary>The 1-based line of the directive in the cell.</summary>
    public int Line { get; } = line;
}
