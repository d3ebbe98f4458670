using System.Diagnostics;
using System.Text;

namespace Course.Notebook.Runner;

/// <summary>
/// <c>check-exercises [notebook-or-folder ...] [--require]</c>: runs each chapter's exercises section on its own (after
/// the chapter's first cell) twice, in fresh sessions of this process: as written (every cell must pass, so the
/// solutions pass their autograders without the rest of the chapter) and as the student copy (every autograder cell
/// must fail with ExerciseNotDoneException, every other cell must pass). <c>--require</c>: a notebook without an
/// exercises section is a failure. Exit code 1 when anything differs, with the reasons.
/// </summary>
public static class CheckExercisesCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var layout = RepoLayout.FromEnvironment();
        bool require = false;
        var paths = new List<string>();
        foreach (var a in args)
        {
            if (a == "--require") require = true;
            else if (a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {a}.");
            else paths.Add(a);
        }
        var notebooks = RunCommand.Collect(paths.Count > 0 ? paths : [layout.Notebooks]);
        if (notebooks.Count == 0) throw new UsageException($"no notebooks found in {string.Join(", ", paths.DefaultIfEmpty(layout.Notebooks))}.");
        Console.SetIn(TextReader.Null);

        // every session's shadow copies stay until the end: an assembly loads once per process, and a later session
        // must still find it where the first one copied it
        var shadow = Path.Combine(ShadowCopyFolder.Parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        try { return await CheckAsync(notebooks, require, shadow); }
        finally { try { Directory.Delete(shadow, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
    }

    private static async Task<int> CheckAsync(List<string> notebooks, bool require, string shadow)
    {
        var problems = new List<string>();
        foreach (var nb in notebooks)
        {
            var name = Path.GetFileName(nb);
            var document = NotebookDocument.Load(nb);
            ExerciseMarkup? markup;
            try { markup = ExerciseMarkup.Read(document); }
            catch (InvalidDataException e) { problems.Add(e.Message); Console.Out.WriteLine($"  {name}: {e.Message}"); continue; }
            if (markup is null)
            {
                if (require) problems.Add($"{name}: no '{ExerciseMarkup.SectionHeading}' section.");
                Console.Out.WriteLine($"  {name}: no exercises");
                continue;
            }
            var clock = Stopwatch.StartNew();
            var folder = Path.GetDirectoryName(Path.GetFullPath(nb))!;
            int before = problems.Count;

            // as written: everything passes
            var solved = await RunAllAsync(markup.SectionWithSetup(document), folder, name, shadow);
            foreach (var (cell, error, _) in solved.Where(r => r.Error is not null))
                problems.Add($"{name}: cell {cell} of the exercises section fails with the solutions in: {error}");
            foreach (var id in markup.Exercises)
                if (!solved.Any(r => r.Stdout.Contains($"Exercise {id}: all checks passed.", StringComparison.Ordinal)))
                    problems.Add($"{name}: exercise {id}'s autograder did not report a pass with the solution in.");

            // the student copy: exactly the autograder cells fail, each because the exercise is not done
            var student = ExerciseMarkup.StudentCopy(document);
            var studentMarkup = ExerciseMarkup.Read(student)!;
            var graders = studentMarkup.AutograderCells.Select(i => Position(studentMarkup, i)).ToHashSet();
            var unsolved = await RunAllAsync(studentMarkup.SectionWithSetup(student), folder, name, shadow);
            foreach (var (cell, error, _) in unsolved)
            {
                if (graders.Contains(cell))
                {
                    if (error is null) problems.Add($"{name}: autograder cell {cell} passes in the student copy (it must fail until the exercise is done).");
                    else if (!error.Name.EndsWith("ExerciseNotDoneException", StringComparison.Ordinal))
                        problems.Add($"{name}: autograder cell {cell} fails in the student copy with {error}, not ExerciseNotDoneException.");
                }
                else if (error is not null)
                    problems.Add($"{name}: cell {cell} of the exercises section fails in the student copy: {error}");
            }
            string verdict = problems.Count == before ? "ok" : "FAILED";
            Console.Out.WriteLine($"  {name}: {markup.Exercises.Count} coding exercise(s), {markup.WrittenAnswers} written answer(s); " +
                $"student copy fails at {graders.Count} autograder cell(s); {verdict} in {clock.Elapsed.TotalSeconds:F1}s");
        }
        if (problems.Count == 0) { Console.Out.WriteLine("exercises: ok"); return 0; }
        Console.Error.WriteLine("exercises: problems:");
        foreach (var p in problems) Console.Error.WriteLine("  " + p);
        return 1;
    }

    /// <summary>The 1-based position of cell <paramref name="index"/> in the section-with-setup notebook.</summary>
    private static int Position(ExerciseMarkup markup, int index) => index - markup.SectionStart + 2;

    private static int _sessions;

    /// <summary>Runs every code cell, going on after a failure as a student would; per code cell its error and output.</summary>
    private static async Task<List<(int Cell, ErrorOutput? Error, string Stdout)>> RunAllAsync(NotebookDocument document, string folder, string name, string shadow)
    {
        var results = new List<(int, ErrorOutput?, string)>();
        using var session = new NotebookSession(new SessionOptions { WorkingDirectory = folder, SourceName = Path.GetFileNameWithoutExtension(name), EmitAssets = false, ShadowCopyDirectory = Path.Combine(shadow, $"s{++_sessions}") });
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (!cell.IsCode) continue;
            var stdout = new StringBuilder();
            var result = await session.ExecuteAsync(cell.Source, o => { if (o is StreamOutput s) lock (stdout) stdout.Append(s.Text); });
            results.Add((i + 1, result.Succeeded ? null : result.Error, stdout.ToString()));
        }
        return results;
    }
}
