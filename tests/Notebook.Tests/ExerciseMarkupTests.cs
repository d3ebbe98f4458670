using Course.Notebook;

namespace Notebook.Tests;

/// <summary>The exercise convention (<see cref="ExerciseMarkup"/>) on hand-made notebooks: what is read, what the student copy is, what is refused.</summary>
public class ExerciseMarkupTests
{
    private const string Solution = """
        // Exercise 3.1: the output size of a convolution
        int OutputSize(int n, int k)
        {
            // BEGIN SOLUTION
            return n - k + 1;
            // END SOLUTION
        }
        """;

    private const string Grader = """
        // Autograder: exercise 3.1
        Autograder.Check("3.1", () => Autograder.ExpectClose(OutputSize(28, 5), 24, 0, "OutputSize(28, 5)"));
        """;

    private const string Written = """
        ### Exercise 3.2: why pool?

        <!-- BEGIN SOLUTION -->
        **Answer.** Pooling makes the features tolerate small shifts.
        <!-- END SOLUTION -->
        """;

    private static NotebookDocument Chapter(params (string Type, string Source)[] exerciseCells)
    {
        var doc = NotebookDocument.Create();
        doc.AddCell("markdown", "# A chapter");
        doc.AddCell("code", "#load \"../lib/course.csx\"");
        doc.AddCell("code", "var x = 1;");
        doc.AddCell("markdown", "## Exercises\n\nTry these.");
        foreach (var (type, source) in exerciseCells) doc.AddCell(type, source);
        return doc;
    }

    [Fact]
    public void ReadsTheSectionItsExercisesAutogradersAndAnswers()
    {
        var doc = Chapter(("markdown", "### Exercise 3.1"), ("code", Solution), ("code", Grader), ("markdown", Written));
        var markup = ExerciseMarkup.Read(doc)!;
        Assert.Equal(3, markup.SectionStart);
        Assert.Equal(["3.1"], markup.Exercises);
        Assert.Equal([5], markup.ExerciseCells);
        Assert.Equal([6], markup.AutograderCells);
        Assert.Equal(1, markup.WrittenAnswers);
        Assert.Null(ExerciseMarkup.Read(Chapter().Also(d => ((System.Text.Json.Nodes.JsonArray)d.Root["cells"]!).RemoveAt(3)).Reparse()));
    }

    [Fact]
    public void TheStudentCopyReplacesSolutionsAndNothingElse()
    {
        var doc = Chapter(("markdown", "### Exercise 3.1"), ("code", Solution), ("code", Grader), ("markdown", Written));
        doc.Cells[2].Outputs.Add(new System.Text.Json.Nodes.JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "1" });
        doc.Cells[2].ExecutionCount = 4;
        var student = ExerciseMarkup.StudentCopy(doc);

        Assert.Equal("""
            // Exercise 3.1: the output size of a convolution
            int OutputSize(int n, int k)
            {
                throw new NotImplementedException("Exercise 3.1: not implemented yet (your solution goes here)");
            }
            """, student.Cells[5].Source);
        Assert.Equal("### Exercise 3.2: why pool?\n\n*Your answer:*\n", student.Cells[7].Source);
        foreach (int i in new[] { 0, 1, 2, 3, 4, 6 }) Assert.Equal(doc.Cells[i].Source, student.Cells[i].Source);
        Assert.Empty(student.Cells[2].Outputs);
        Assert.Null(student.Cells[2].ExecutionCount);
        Assert.Equal("student", student.Metadata["course"]!["copy"]!.GetValue<string>());
        Assert.Equal(4, doc.Cells[2].ExecutionCount); // the original is left alone

        // the student copy is itself valid markup: its exercise cell carries the stub instead of a solution
        var again = ExerciseMarkup.Read(student)!;
        Assert.Equal(["3.1"], again.Exercises);
        Assert.Equal(0, again.WrittenAnswers);
    }

    [Fact]
    public void TheSectionRunsAfterTheChaptersFirstCodeCell()
    {
        var doc = Chapter(("code", Solution), ("code", Grader));
        var section = ExerciseMarkup.Read(doc)!.SectionWithSetup(doc);
        Assert.Equal(["#load \"../lib/course.csx\"", "## Exercises\n\nTry these.", Solution, Grader], section.Cells.Select(c => c.Source));
    }

    [Theory]
    [InlineData("// Exercise 3.1\n// BEGIN SOLUTION\nreturn 1;", "never closed")]
    [InlineData("// Exercise 3.1\n// END SOLUTION", "without a '// BEGIN SOLUTION'")]
    [InlineData("// Exercise 3.1\n// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "inside another solution block")]
    [InlineData("// Exercise 3.1\nint F() { return 1; } // BEGIN SOLUTION", "a line of its own")]
    [InlineData("// Exercise 3.1\nint F() => 1;", "has no '// BEGIN SOLUTION'")]
    [InlineData("int F()\n{\n// BEGIN SOLUTION\nreturn 1;\n// END SOLUTION\n}", "must start with the line '// Exercise N.K'")]
    public void BrokenMarkupIsRefusedNamingTheCell(string cell, string reason)
    {
        var e = Assert.Throws<InvalidDataException>(() => ExerciseMarkup.Read(Chapter(("code", cell))));
        Assert.Contains("cell 5", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void ExercisesNeedTheirAutograderAfterThemAndInsideTheSection()
    {
        Assert.Contains("exercise 3.1 has no autograder cell", Assert.Throws<InvalidDataException>(() => ExerciseMarkup.Read(Chapter(("code", Solution)))).Message);
        Assert.Contains("comes before (or without) the exercise's cell", Assert.Throws<InvalidDataException>(() => ExerciseMarkup.Read(Chapter(("code", Grader), ("code", Solution)))).Message);
        Assert.Contains("must call Autograder.Check(\"3.1\"", Assert.Throws<InvalidDataException>(() =>
            ExerciseMarkup.Read(Chapter(("code", Solution), ("code", "// Autograder: exercise 3.1\nAutograder.Check(\"3.2\", () => { });")))).Message);
        Assert.Contains("appears twice", Assert.Throws<InvalidDataException>(() => ExerciseMarkup.Read(Chapter(("code", Solution), ("code", Solution)))).Message);

        var early = Chapter(("code", Grader));
        ((System.Text.Json.Nodes.JsonArray)early.Root["cells"]!).Insert(2, System.Text.Json.Nodes.JsonNode.Parse(early.Cells[4].Node.ToJsonString()));
        Assert.Contains("outside the '## Exercises' section", Assert.Throws<InvalidDataException>(() => ExerciseMarkup.Read(early.Reparse())).Message);
        var twoSections = Chapter(("markdown", "## Exercises"));
        Assert.Contains("both start an '## Exercises' section", Assert.Throws<InvalidDataException>(() => ExerciseMarkup.Read(twoSections)).Message);
        var strayAnswer = NotebookDocument.Create();
        strayAnswer.AddCell("markdown", "<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->");
        Assert.Contains("a written answer outside", Assert.Throws<InvalidDataException>(() => ExerciseMarkup.Read(strayAnswer)).Message);
    }
}

internal static class DocumentTestExtensions
{
    public static T Also<T>(this T value, Action<T> action) { action(value); return value; }

    /// <summary>The document parsed again from its JSON (after the JSON was edited directly).</summary>
    public static NotebookDocument Reparse(this NotebookDocument document) =>
        NotebookDocument.Parse(System.Text.Json.Nodes.JsonNode.Parse(document.ToJson()), document.Path);
}
