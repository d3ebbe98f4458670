using Course;

namespace Course.Tests;

/// <summary>Results go to the checkout that $COURSE_ROOT names (the environment contract), never to one searched for.</summary>
public class ResultsLocationTests
{
    [Fact]
    public void ResultsAreWrittenUnderTheRootTheEnvironmentNames()
    {
        using var root = new TempFolder("results-root");
        var previous = Environment.GetEnvironmentVariable("COURSE_ROOT");
        try
        {
            Environment.SetEnvironmentVariable("COURSE_ROOT", root.FullName);
            var file = Results.Save("chapter", [new Result("accuracy", 0.9, 1.0, "cpu")]);
            Assert.Equal(Path.Combine(root.FullName, "artifacts", "results", "chapter.json"), file);
            Assert.True(File.Exists(file));
        }
        finally { Environment.SetEnvironmentVariable("COURSE_ROOT", previous); }
    }

    [Fact]
    public void WithoutTheRootVariableSavingSaysWhatIsMissing()
    {
        var previous = Environment.GetEnvironmentVariable("COURSE_ROOT");
        try
        {
            Environment.SetEnvironmentVariable("COURSE_ROOT", null);
            var e = Assert.Throws<InvalidOperationException>(() => Results.Save("chapter", [new Result("accuracy", 0.9, 1.0, "cpu")]));
            Assert.Contains("COURSE_ROOT", e.Message);
        }
        finally { Environment.SetEnvironmentVariable("COURSE_ROOT", previous); }
    }
}
