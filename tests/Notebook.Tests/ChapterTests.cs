namespace Notebook.Tests;

/// <summary>
/// Every chapter under notebooks/ executed in fast mode (COURSE_FAST=1), each in its own process, one test per
/// notebook; the executed copy must validate against the Jupyter schema.
/// </summary>
[Collection("chapters")]
public class ChapterTests
{
    public static TheoryData<string> Chapters()
    {
        var data = new TheoryData<string>();
        foreach (var nb in Directory.EnumerateFiles(Checkout.Notebooks, "*.ipynb", SearchOption.AllDirectories)
                     .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Checkout.Notebooks, nb));
        return data;
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void RunsInFastMode(string chapter)
    {
        var output = Path.Combine(Repo.TestOutput, "chapters", chapter);
        if (File.Exists(output)) File.Delete(output);
        var run = Repo.Exec(Path.Combine(Checkout.Notebooks, chapter), output, fast: true, png: false, timeout: TimeSpan.FromMinutes(15));
        Assert.True(run.ExitCode == 0, $"notebooks/{chapter} failed in fast mode:\n{run.Stderr}\n{run.Stdout}");
        Assert.Null(Repo.NbformatError(output));
    }
}
