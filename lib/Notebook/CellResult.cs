namespace Course.Notebook;

public enum CellStatus { Ok, Error, Cancelled }

/// <summary>How one cell ended. <see cref="Error"/> is set unless the status is Ok.</summary>
public sealed record CellResult(int ExecutionCount, CellStatus Status, ErrorOutput? Error, TimeSpan Elapsed)
{
    public bool Succeeded => Status == CellStatus.Ok;
}
