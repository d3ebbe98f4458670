using System.Text.Json.Nodes;

namespace Notebook.Tests;

/// <summary>Notebooks are committed without outputs: executed copies are build products under artifacts/.</summary>
public class CommittedNotebookTests
{
    private static List<string> CommittedNotebooks()
    {
        var git = ChildProcess.Run("git", ["ls-files", "-z", "--", "*.ipynb"], TimeSpan.FromMinutes(1));
        Assert.True(git.ExitCode == 0, $"git ls-files failed: {git}");
        return git.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(Checkout.Root, p)).Where(File.Exists).ToList();
    }

    /// <summary>What is wrong with a notebook that is meant to be committed (outputs, execution counts).</summary>
    private static IEnumerable<string> OutputProblems(string notebook)
    {
        var cells = JsonNode.Parse(File.ReadAllText(notebook))!["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!;
            if (cell["cell_type"]!.GetValue<string>() != "code") continue;
            var name = Path.GetRelativePath(Checkout.Root, notebook);
            if (cell["outputs"] is JsonArray { Count: > 0 }) yield return $"{name}: cell {i + 1} has outputs";
            if (cell["execution_count"] is not null) yield return $"{name}: cell {i + 1} has an execution count";
        }
    }

    [Fact]
    public void CommittedNotebooksCarryNoOutputsOrExecutionCounts()
    {
        var notebooks = CommittedNotebooks();
        Assert.Contains(notebooks, n => n.EndsWith("00-getting-started.ipynb", StringComparison.Ordinal));
        var problems = notebooks.SelectMany(OutputProblems).ToList();
        Assert.True(problems.Count == 0, "clear the outputs before committing (Jupyter: Edit > Clear All Outputs):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheCheckNoticesAnExecutedNotebook()
    {
        var executed = Path.Combine(Repo.TestOutput, "committed-check", "redeclare.ipynb");
        var run = Repo.Exec(Path.Combine(Repo.Fixtures, "redeclare.ipynb"), executed, timeout: TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.ToString());
        var problems = OutputProblems(executed).ToList();
        Assert.Contains(problems, p => p.EndsWith("cell 4 has outputs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("cell 2 has an execution count", StringComparison.Ordinal));
        Assert.Empty(OutputProblems(Path.Combine(Repo.Fixtures, "redeclare.ipynb")));
    }
}
