using Course.Exercises;

namespace Course.Tests;

/// <summary>
/// The autograder turns an exercise's state into one of three outcomes: passed (a line on the console), not done (the
/// student stub's NotImplementedException), not right (a failed expectation, or any other exception, with its words).
/// </summary>
public class AutograderTests
{
    [Fact]
    public void PassingChecksPrintOneLine()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try { Autograder.Check("3.2", () => Autograder.Expect(1 + 1 == 2, "arithmetic")); }
        finally { Console.SetOut(previous); }
        Assert.Equal("Exercise 3.2: all checks passed." + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void TheStudentStubMeansNotDoneYet()
    {
        static int Solution() => throw new NotImplementedException("Exercise 3.2: not implemented yet (your solution goes here)");
        var e = Assert.Throws<ExerciseNotDoneException>(() => Autograder.Check("3.2", () => Autograder.ExpectClose(Solution(), 4, 0, "the answer")));
        Assert.StartsWith("Exercise 3.2 is not done yet (Exercise 3.2: not implemented yet", e.Message);
        Assert.Contains("'// Exercise 3.2'", e.Message);
        Assert.IsType<NotImplementedException>(e.InnerException);

        // also when the stub is reached through reflection or a task, as a cell's code may do
        var viaTask = Assert.Throws<ExerciseNotDoneException>(() => Autograder.Check("3.2", () => Task.Run(() => Solution()).Wait()));
        Assert.IsType<NotImplementedException>(viaTask.InnerException);
    }

    [Fact]
    public void AWrongAnswerSaysWhatWasExpected()
    {
        var e = Assert.Throws<ExerciseFailedException>(() => Autograder.Check("1.1", () => Autograder.ExpectClose(0.31, 0.25, 1e-6, "the loss")));
        Assert.Equal("Exercise 1.1 is not right yet: the loss: expected 0.25 ± 1E-06, got 0.31.", e.Message);
        var exact = Assert.Throws<ExerciseFailedException>(() => Autograder.Check("1.1", () => Autograder.ExpectClose(25, 24, 0, "the size")));
        Assert.Equal("Exercise 1.1 is not right yet: the size: expected 24, got 25.", exact.Message);
        var nan = Assert.Throws<ExerciseFailedException>(() => Autograder.Check("1.1", () => Autograder.ExpectClose(double.NaN, 0, 1, "x")));
        Assert.Contains("got NaN", nan.Message);
        var hint = Assert.Throws<ExerciseFailedException>(() => Autograder.Check("1.1", () => Autograder.Expect(false, "the mask must hide 75% of the patches")));
        Assert.Equal("Exercise 1.1 is not right yet: the mask must hide 75% of the patches", hint.Message);
    }

    [Fact]
    public void OtherExceptionsAreReportedWithTheirWords()
    {
        var e = Assert.Throws<ExerciseFailedException>(() => Autograder.Check("2.1", () => throw new ArgumentException("shapes differ")));
        Assert.Equal("Exercise 2.1 is not right yet: your code threw ArgumentException: shapes differ", e.Message);
        Assert.Throws<OperationCanceledException>(() => Autograder.Check("2.1", () => throw new OperationCanceledException()));
    }

    [Fact]
    public void TensorsAreComparedByShapeThenLargestDifference()
    {
        var expected = torch.tensor(new double[] { 1, 2, 3 });
        Autograder.ExpectClose(torch.tensor(new float[] { 1, 2, 3.0000001f }), expected, 1e-6, "v");
        var shape = Assert.Throws<ExerciseFailedException>(() => Autograder.Check("4.1", () => Autograder.ExpectClose(torch.zeros(1, 3), expected, 1, "attention")));
        Assert.Equal("Exercise 4.1 is not right yet: attention: expected shape [3], got [1, 3].", shape.Message);
        var gap = Assert.Throws<ExerciseFailedException>(() => Autograder.Check("4.1", () => Autograder.ExpectClose(torch.tensor(new double[] { 1, 2.5, 3 }), expected, 0.1, "attention")));
        Assert.Equal("Exercise 4.1 is not right yet: attention: the largest difference from the expected values is 0.5 (allowed: 0.1).", gap.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Autograder.ExpectClose(expected, expected, -1, "v"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Autograder.ExpectClose(1, 1, double.NaN, "v"));
    }
}
