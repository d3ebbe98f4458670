using Course.Notebook;

namespace Notebook.Tests;

/// <summary>
/// Every chapter's exercises, as CI checks them: with the solutions in, each exercises section passes on its own (after
/// the chapter's first cell); in the student copy exactly the autograder cells fail, each with ExerciseNotDoneException.
/// The rest of a student copy is the chapter unchanged (checked by <see cref="ExerciseMarkupTests"/> and below), and
/// the chapter itself runs in <see cref="ChapterTests"/>, so running the sections alone covers what differs.
/// </summary>
[Collection("chapters")]
public class ChapterExerciseTests
{
    [Fact]
    public void SolutionsPassTheirAutogradersAndStudentCopiesFailExactlyThere()
    {
        var run = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "check-exercises", "--require", Checkout.Notebooks], TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("exercises: ok", run.Stdout);
    }

    [Fact]
    public void TheStudentCommandWritesStudentAndInstructorCopies()
    {
        var folder = Path.Combine(Repo.TestOutput, "student-command");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        string student = Path.Combine(folder, "student"), instructor = Path.Combine(folder, "instructor");
        var chapter = Path.Combine(Checkout.Notebooks, "00-getting-started.ipynb");
        var run = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "student", "--out", student, "--instructor-out", instructor, chapter], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.ToString());

        var original = NotebookDocument.Load(chapter);
        var markup = ExerciseMarkup.Read(original)!;
        var studentCopy = NotebookDocument.Load(Path.Combine(student, "00-getting-started.ipynb"));
        var instructorCopy = NotebookDocument.Load(Path.Combine(instructor, "00-getting-started.ipynb"));
        Assert.Equal("student", studentCopy.Metadata["course"]!["copy"]!.GetValue<string>());
        Assert.Equal("instructor", instructorCopy.Metadata["course"]!["copy"]!.GetValue<string>());
        Assert.Equal(original.Cells.Count, studentCopy.Cells.Count);
        for (int i = 0; i < original.Cells.Count; i++)
        {
            string source = original.Cells[i].Source;
            if (source.StartsWith("#load", StringComparison.Ordinal))
            {
                // the library load points from the copy's folder to the same file
                var load = studentCopy.Cells[i].Source;
                var path = load[(load.IndexOf('"') + 1)..load.LastIndexOf('"')];
                Assert.Equal(Path.Combine(Checkout.Root, "lib", "course.csx"), Path.GetFullPath(Path.Combine(student, path)));
                continue;
            }
            Assert.Equal(source, instructorCopy.Cells[i].Source);
            if (markup.ExerciseCells.Contains(i))
            {
                Assert.DoesNotContain(ExerciseMarkup.BeginSolution, studentCopy.Cells[i].Source);
                Assert.Contains("throw new NotImplementedException(\"Exercise 0.", studentCopy.Cells[i].Source);
            }
            else if (source.Contains(ExerciseMarkup.BeginAnswer, StringComparison.Ordinal))
                Assert.DoesNotContain("**Answer.**", studentCopy.Cells[i].Source);
            else Assert.Equal(source, studentCopy.Cells[i].Source);
        }
        Assert.Null(Repo.NbformatError(Path.Combine(student, "00-getting-started.ipynb")));
        Assert.Null(Repo.NbformatError(Path.Combine(instructor, "00-getting-started.ipynb")));

        // same folder twice is refused by name
        var same = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "student", "--out", student, "--instructor-out", student, chapter], TimeSpan.FromMinutes(2));
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("--out and --instructor-out must be different folders", same.Stderr);
    }
}
