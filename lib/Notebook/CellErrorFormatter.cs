using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Course.Notebook;

/// <summary>
/// Turns a cell's compile errors and exceptions into the <see cref="ErrorOutput"/> a notebook shows: the message, the
/// line of the cell, and a traceback that names cells as "In [n]" and leaves out the scripting machinery.
/// </summary>
internal sealed partial class CellErrorFormatter(string workingDirectory, string sourceName)
{
    /// <summary>The compile errors of cell number <paramref name="count"/>, compiled from <paramref name="cellPath"/>.</summary>
    public ErrorOutput CompileError(IReadOnlyList<Diagnostic> errors, string cellPath, int count)
    {
        int? line = null;
        var lines = new List<string>();
        foreach (var d in errors)
        {
            var span = d.Location.GetMappedLineSpan();
            string where;
            if (span.Path == cellPath)
            {
                line ??= span.StartLinePosition.Line + 1;
                where = $"line {span.StartLinePosition.Line + 1}, column {span.StartLinePosition.Character + 1}";
            }
            else where = d.Location.IsInSource ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})" : "";
            lines.Add($"{where}: {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}".TrimStart(' ', ':'));
        }
        var message = lines[0] + (lines.Count > 1 ? $" (and {lines.Count - 1} more error{(lines.Count > 2 ? "s" : "")})" : "");
        return new ErrorOutput("CompilationError", message, [$"CompilationError: the cell (In [{count}]) does not compile:", .. lines.Select(l => "  " + l)], line);
    }

    /// <summary>An exception thrown while cell number <paramref name="count"/>, compiled from <paramref name="cellPath"/>, ran.</summary>
    public ErrorOutput RuntimeError(Exception exception, string cellPath, int count)
    {
        var e = Unwrap(exception);
        var frames = new StackTrace(e, true).GetFrames();
        int? line = frames.FirstOrDefault(f => f.GetFileName() == cellPath)?.GetFileLineNumber();
        if (line == 0) line = null;
        var name = e.GetType().FullName ?? e.GetType().Name;
        var traceback = new List<string> { $"{name}: {e.Message}" };
        if (line is { } l) traceback.Add($"   at line {l} of this cell (In [{count}])");
        foreach (var raw in (e.StackTrace ?? "").Split('\n'))
        {
            var text = raw.TrimEnd('\r');
            if (text.Length == 0 || text.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) ||
                text.Contains("System.Runtime.CompilerServices", StringComparison.Ordinal) || text.Contains("--- End of stack trace", StringComparison.Ordinal))
                continue;
            var at = text.IndexOf(" in " + workingDirectory, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = text[(at + 4 + workingDirectory.Length)..].TrimStart('/');
                var prefix = sourceName + ".cell";
                if (rest.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var n = rest[prefix.Length..rest.IndexOf(".csx", StringComparison.Ordinal)];
                    var ln = rest[(rest.LastIndexOf(":line ", StringComparison.Ordinal) + 6)..];
                    text = text[..at] + $" in In [{n}], line {ln}";
                }
            }
            text = SubmissionPrefix().Replace(text, "");
            traceback.Add(text.Replace("<<Initialize>>d__0.MoveNext()", "<cell>"));
        }
        if (e.InnerException is { } inner) traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
        return new ErrorOutput(name, e.Message, traceback, line);
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case TargetInvocationException { InnerException: { } i }: e = i; continue;
                case AggregateException { InnerExceptions.Count: 1 } a: e = a.InnerExceptions[0]; continue;
                default: return e;
            }
        }
    }

    [GeneratedRegex(@"Submission#\d+\.")]
    private static partial Regex SubmissionPrefix();
}
