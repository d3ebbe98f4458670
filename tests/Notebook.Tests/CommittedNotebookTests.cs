using System.Text.Json.Nodes;

namespace Notebook.Tests;

/// <summary>Notebooks are committed without outputs: executed copies are build products under artifacts/.</summary>
public class CommittedNotebookTests
{
    private static List<string> CommittedNotebooks()
    {
        var git = Repo.Run("git", ["ls-files", "-z", "--", "*.ipynb"], TimeSpan.FromMinutes(1));
        Assert.True(git.ExitCode == 0, $"git ls-files failed: {git}");
        return git.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(Repo.Root, p)).Where(File.Exists).ToList();
    }

    [Fact]
    public void CommittedNotebooksCarryNoOutputsOrExecutionCounts()
    {
        var notebooks = CommittedNotebooks();
        Assert.NotEmpty(notebooks);
        var problems = new List<string>();
        foreach (var nb in notebooks)
        {
            var root = JsonNode.Parse(File.ReadAllText(nb))!;
            var cells = root["cells"]!.AsArray();
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i]!;
                if (cell["cell_type"]!.GetValue<string>() != "code") continue;
                if (cell["outputs"] is JsonArray { Count: > 0 }) problems.Add($"{Path.GetRelativePath(Repo.Root, nb)}: cell {i + 1} has outputs");
                if (cell["execution_count"] is not null) problems.Add($"{Path.GetRelativePath(Repo.Root, nb)}: cell {i + 1} has an execution count");
            }
        }
        Assert.True(problems.Count == 0, "clear the outputs before committing (Jupyter: Edit > Clear All Outputs):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheCheckNoticesOutputs()
    {
        // the same check on an executed fixture must complain, or it could never fail
        var executed = JsonNode.Parse("""{"cells":[{"cell_type":"code","execution_count":1,"outputs":[{"output_type":"stream","name":"stdout","text":["x"]}]}]}""")!;
        var cell = executed["cells"]![0]!;
        Assert.True(cell["outputs"] is JsonArray { Count: > 0 } && cell["execution_count"] is not null);
    }
}
