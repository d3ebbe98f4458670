using Course.Display;

namespace Course.Notebook;

/// <summary>
/// One output of a running cell, shaped like the Jupyter messages a kernel publishes
/// (stream, display_data, update_display_data, execute_result, error).
/// </summary>
public abstract record CellOutput;

/// <summary>Text written to Console.Out ("stdout") or Console.Error ("stderr").</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A value shown with display(...); <see cref="DisplayId"/> identifies it for later updates.</summary>
public sealed record DisplayDataOutput(MimeBundle Bundle, string? DisplayId) : CellOutput;

/// <summary>Replaces the output that was displayed with <see cref="DisplayId"/> (possibly in an earlier cell).</summary>
public sealed record UpdateDisplayDataOutput(MimeBundle Bundle, string DisplayId) : CellOutput;

/// <summary>The value of the cell's last expression.</summary>
public sealed record ExecuteResultOutput(MimeBundle Bundle, int ExecutionCount) : CellOutput;

/// <summary>
/// The cell failed: <see cref="Name"/> is the exception type (or "CompilationError"), <see cref="Value"/> its message,
/// <see cref="Line"/> the 1-based line in the cell when known, <see cref="Traceback"/> the lines to show.
/// </summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback, int? Line) : CellOutput
{
    public override string ToString() => $"{Name}: {Value}" + (Line is { } l ? $" (line {l})" : "");
}
