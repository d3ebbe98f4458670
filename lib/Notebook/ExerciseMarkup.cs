using System.Text;
using System.Text.RegularExpressions;

namespace Course.Notebook;

/// <summary>
/// How a chapter marks its exercises, and the student copy made from them. The convention:
/// <list type="bullet">
/// <item>The exercises are the chapter's last section: a markdown cell whose first line is <c>## Exercises</c> and every
/// cell after it. The section runs on its own after the chapter's first cell (the library load), so a student can do the
/// exercises without running the chapter.</item>
/// <item>A coding exercise is a code cell whose first line is <c>// Exercise N.K</c>; its solution sits between the lines
/// <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c>, inside a method or lambda body, so that running the cell only
/// defines it. In the student copy each such block becomes a <c>throw new NotImplementedException(...)</c> naming the
/// exercise.</item>
/// <item>Its autograder is a later code cell whose first line is <c>// Autograder: exercise N.K</c>; it calls
/// <c>Autograder.Check("N.K", ...)</c>. In the student copy it fails with ExerciseNotDoneException until the exercise is done.</item>
/// <item>A written answer in markdown sits between <c>&lt;!-- BEGIN SOLUTION --&gt;</c> and <c>&lt;!-- END SOLUTION --&gt;</c>;
/// the student copy keeps a line to write in instead.</item>
/// </list>
/// A notebook that breaks the convention is an <see cref="InvalidDataException"/> naming the notebook and the cell.
/// </summary>
public sealed partial class ExerciseMarkup
{
    public const string SectionHeading = "## Exercises";
    public const string BeginSolution = "// BEGIN SOLUTION";
    public const string EndSolution = "// END SOLUTION";
    public const string BeginAnswer = "<!-- BEGIN SOLUTION -->";
    public const string EndAnswer = "<!-- END SOLUTION -->";
    public const string AnswerPlaceholder = "*Your answer:*";

    [GeneratedRegex(@"^// Exercise (?<id>\d+\.\d+)\b")]
    private static partial Regex ExerciseLine();

    [GeneratedRegex(@"^// Autograder: exercise (?<id>\d+\.\d+)\b")]
    private static partial Regex AutograderLine();

    private ExerciseMarkup(int sectionStart, IReadOnlyList<int> exerciseCells, IReadOnlyList<int> autograderCells, IReadOnlyList<string> exercises, int writtenAnswers)
    {
        SectionStart = sectionStart;
        ExerciseCells = exerciseCells;
        AutograderCells = autograderCells;
        Exercises = exercises;
        WrittenAnswers = writtenAnswers;
    }

    /// <summary>Index of the <c>## Exercises</c> cell; the section runs to the end of the notebook.</summary>
    public int SectionStart { get; }

    /// <summary>Indices of the cells with a coding exercise (in order).</summary>
    public IReadOnlyList<int> ExerciseCells { get; }

    /// <summary>Indices of the autograder cells (in order).</summary>
    public IReadOnlyList<int> AutograderCells { get; }

    /// <summary>The coding exercises' ids ("2.1", ...), in order.</summary>
    public IReadOnlyList<string> Exercises { get; }

    /// <summary>How many written answers (markdown solution blocks) the section has.</summary>
    public int WrittenAnswers { get; }

    /// <summary>Reads and checks the markup of <paramref name="document"/>; null when it has no exercises section.</summary>
    public static ExerciseMarkup? Read(NotebookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        string name = document.Path is null ? "the notebook" : System.IO.Path.GetFileName(document.Path);
        int start = -1;
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (!cell.IsCode && FirstLine(cell.Source).TrimEnd() == SectionHeading)
            {
                if (start >= 0) throw new InvalidDataException($"{name}: cells {start + 1} and {i + 1} both start an '{SectionHeading}' section; a chapter has one.");
                start = i;
            }
        }
        var exerciseCells = new List<int>();
        var autograders = new List<int>();
        var ids = new List<string>();
        var graded = new HashSet<string>();
        int answers = 0;
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            var source = cell.Source;
            string where = $"{name}, cell {i + 1}";
            if (cell.IsCode)
            {
                int blocks = CountBlocks(source, BeginSolution, EndSolution, where);
                var exercise = ExerciseLine().Match(FirstLine(source));
                var autograder = AutograderLine().Match(FirstLine(source));
                if ((blocks > 0 || exercise.Success || autograder.Success) && (start < 0 || i < start))
                    throw new InvalidDataException($"{where}: exercise markup outside the '{SectionHeading}' section (it must be the chapter's last section).");
                if (blocks > 0 && !exercise.Success)
                    throw new InvalidDataException($"{where}: a cell with a solution must start with the line '// Exercise N.K'.");
                if (exercise.Success)
                {
                    var id = exercise.Groups["id"].Value;
                    if (blocks == 0 && !source.Contains(Stub(id), StringComparison.Ordinal)) // a student copy has the stub instead
                        throw new InvalidDataException($"{where}: exercise {id} has no '{BeginSolution}' ... '{EndSolution}' block.");
                    if (ids.Contains(id)) throw new InvalidDataException($"{where}: exercise {id} appears twice.");
                    ids.Add(id);
                    exerciseCells.Add(i);
                }
                if (autograder.Success)
                {
                    var id = autograder.Groups["id"].Value;
                    if (!ids.Contains(id)) throw new InvalidDataException($"{where}: the autograder of exercise {id} comes before (or without) the exercise's cell.");
                    if (!source.Contains($"Autograder.Check(\"{id}\"", StringComparison.Ordinal))
                        throw new InvalidDataException($"{where}: the autograder of exercise {id} must call Autograder.Check(\"{id}\", ...).");
                    graded.Add(id);
                    autograders.Add(i);
                }
            }
            else
            {
                int blocks = CountBlocks(source, BeginAnswer, EndAnswer, where);
                if (blocks > 0 && (start < 0 || i < start))
                    throw new InvalidDataException($"{where}: a written answer outside the '{SectionHeading}' section.");
                answers += blocks;
            }
        }
        foreach (var id in ids)
            if (!graded.Contains(id)) throw new InvalidDataException($"{name}: exercise {id} has no autograder cell ('// Autograder: exercise {id}').");
        return start < 0 ? null : new ExerciseMarkup(start, exerciseCells, autograders, ids, answers);
    }

    /// <summary>
    /// The student copy of <paramref name="document"/>: outputs cleared, every solution block replaced by a stub (code) or a
    /// line to write in (markdown), every other cell unchanged. A notebook without exercises comes back with outputs cleared.
    /// </summary>
    public static NotebookDocument StudentCopy(NotebookDocument document)
    {
        Read(document); // checks the markup
        var copy = NotebookDocument.Parse(System.Text.Json.Nodes.JsonNode.Parse(document.ToJson()), document.Path);
        copy.ClearOutputs();
        foreach (var cell in copy.Cells)
        {
            if (cell.IsCode)
            {
                var id = ExerciseLine().Match(FirstLine(cell.Source));
                if (!id.Success) continue;
                cell.Source = ReplaceBlocks(cell.Source, BeginSolution, EndSolution,
                    indent => indent + Stub(id.Groups["id"].Value));
            }
            else if (cell.Source.Contains(BeginAnswer, StringComparison.Ordinal))
                cell.Source = ReplaceBlocks(cell.Source, BeginAnswer, EndAnswer, indent => indent + AnswerPlaceholder);
        }
        copy.Metadata["course"] = new System.Text.Json.Nodes.JsonObject { ["copy"] = "student" };
        return copy;
    }

    /// <summary>
    /// The exercises on their own: the chapter's first code cell (the library load) followed by the exercises section,
    /// as a notebook. This is what must run without the rest of the chapter.
    /// </summary>
    public NotebookDocument SectionWithSetup(NotebookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var section = NotebookDocument.Create();
        section.Root["metadata"] = System.Text.Json.Nodes.JsonNode.Parse(document.Metadata.ToJsonString());
        var cells = (System.Text.Json.Nodes.JsonArray)section.Root["cells"]!;
        var first = document.Cells.FirstOrDefault(c => c.IsCode)
            ?? throw new InvalidDataException("the notebook has no code cell to load the library with.");
        cells.Add(first.Node.DeepClone());
        for (int i = SectionStart; i < document.Cells.Count; i++) cells.Add(document.Cells[i].Node.DeepClone());
        return NotebookDocument.Parse(section.Root, document.Path);
    }

    /// <summary>What a solution block becomes in the student copy.</summary>
    public static string Stub(string exercise) =>
        $"throw new NotImplementedException(\"Exercise {exercise}: not implemented yet (your solution goes here)\");";

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).TrimEnd('\r');
    }

    private static int CountBlocks(string source, string begin, string end, string where)
    {
        int blocks = 0;
        bool open = false;
        foreach (var raw in source.Split('\n'))
        {
            var line = raw.Trim();
            if (line == begin)
            {
                if (open) throw new InvalidDataException($"{where}: '{begin}' inside another solution block.");
                open = true;
            }
            else if (line == end)
            {
                if (!open) throw new InvalidDataException($"{where}: '{end}' without a '{begin}' before it.");
                open = false;
                blocks++;
            }
            else if (line.Contains(begin, StringComparison.Ordinal) || line.Contains(end, StringComparison.Ordinal))
                throw new InvalidDataException($"{where}: a solution marker must be a line of its own ('{line}').");
        }
        if (open) throw new InvalidDataException($"{where}: '{begin}' is never closed by '{end}'.");
        return blocks;
    }

    private static string ReplaceBlocks(string source, string begin, string end, Func<string, string> stub)
    {
        var result = new StringBuilder();
        var lines = source.Split('\n');
        bool open = false;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed == begin)
            {
                open = true;
                var indent = line[..(line.Length - line.TrimStart().Length)];
                result.Append(stub(indent));
            }
            else if (trimmed == end) { open = false; continue; }
            else if (!open) result.Append(line);
            else continue;
            if (i < lines.Length - 1) result.Append('\n');
        }
        return result.ToString();
    }
}
