using System.Text.RegularExpressions;

namespace Course.Notebook.Runner;

/// <summary>
/// <c>student [notebook-or-folder ...] [--out folder] [--instructor-out folder]</c>: writes the student copies (solutions
/// replaced by stubs, see <see cref="ExerciseMarkup"/>) to artifacts/student/ and the instructor copies (solutions kept)
/// to artifacts/instructor/, outputs cleared. The library load (<c>#load "../lib/course.csx"</c>) is rewritten to point
/// from the copy's folder to this checkout's library; <c>--out notebooks</c> replaces the chapters in place (a
/// students' fork).
/// </summary>
public static partial class StudentCommand
{
    [GeneratedRegex("^#load \"(?<path>[^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex LoadLine();

    public static int Run(string[] args)
    {
        var layout = RepoLayout.FromEnvironment();
        string student = Path.Combine(layout.Artifacts, "student"), instructor = Path.Combine(layout.Artifacts, "instructor");
        var paths = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out": student = i + 1 < args.Length ? Path.GetFullPath(args[++i]) : throw new UsageException("--out needs a folder."); break;
                case "--instructor-out": instructor = i + 1 < args.Length ? Path.GetFullPath(args[++i]) : throw new UsageException("--instructor-out needs a folder."); break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {args[i]}.");
                    paths.Add(args[i]);
                    break;
            }
        }
        if (Path.GetFullPath(student) == Path.GetFullPath(instructor)) throw new UsageException("--out and --instructor-out must be different folders.");
        var notebooks = RunCommand.Collect(paths.Count > 0 ? paths : [layout.Notebooks]);
        if (notebooks.Count == 0) throw new UsageException($"no notebooks found in {string.Join(", ", paths.DefaultIfEmpty(layout.Notebooks))}.");

        // every notebook is read and checked before anything is written, so a broken one leaves no half-made set
        var copies = new List<(string Name, NotebookDocument Student, NotebookDocument Instructor, ExerciseMarkup? Markup)>();
        foreach (var nb in notebooks)
        {
            var document = NotebookDocument.Load(nb);
            var markup = ExerciseMarkup.Read(document);
            var studentCopy = ExerciseMarkup.StudentCopy(document);
            var instructorCopy = NotebookDocument.Parse(System.Text.Json.Nodes.JsonNode.Parse(document.ToJson()), nb);
            instructorCopy.ClearOutputs();
            instructorCopy.Metadata["course"] = new System.Text.Json.Nodes.JsonObject { ["copy"] = "instructor" };
            var name = Path.GetFileName(nb);
            Relocate(studentCopy, Path.GetDirectoryName(nb)!, student);
            Relocate(instructorCopy, Path.GetDirectoryName(nb)!, instructor);
            copies.Add((name, studentCopy, instructorCopy, markup));
        }
        foreach (var (name, studentCopy, instructorCopy, markup) in copies)
        {
            studentCopy.Save(Path.Combine(student, name));
            instructorCopy.Save(Path.Combine(instructor, name));
            var what = markup is null ? "no exercises" : $"{markup.Exercises.Count} coding exercise{(markup.Exercises.Count == 1 ? "" : "s")}, {markup.WrittenAnswers} written answer{(markup.WrittenAnswers == 1 ? "" : "s")}";
            Console.Out.WriteLine($"  {name}: {what}");
        }
        Console.Out.WriteLine($"student copies: {student}");
        Console.Out.WriteLine($"instructor copies: {instructor}");
        return 0;
    }

    /// <summary>Rewrites relative <c>#load</c> paths so they still name the same files from <paramref name="to"/>.</summary>
    private static void Relocate(NotebookDocument document, string from, string to)
    {
        foreach (var cell in document.Cells.Where(c => c.IsCode))
        {
            var source = cell.Source;
            var moved = LoadLine().Replace(source, m =>
            {
                var path = m.Groups["path"].Value;
                if (Path.IsPathRooted(path)) return m.Value;
                var target = Path.GetFullPath(Path.Combine(from, path));
                return $"#load \"{Path.GetRelativePath(to, target).Replace('\\', '/')}\"";
            });
            if (moved != source) cell.Source = moved;
        }
    }
}
