namespace Notebook.Tests;

/// <summary>
/// A chapter read in pretrained mode (COURSE_PRETRAINED=1): chapter 05 loads its shipped ViT instead of training, says
/// so, and its own check (the loaded model scores the recorded test accuracy within 0.001) passes. Chapter 05 is the
/// cheapest of the three chapters with shipped weights; <c>ShippedCheckpointsTests</c> checks all three files.
/// </summary>
[Collection("chapters")]
public class PretrainedChapterTests
{
    [Fact]
    public void Chapter05LoadsItsShippedWeightsInsteadOfTraining()
    {
        var output = Path.Combine(Repo.TestOutput, "pretrained", "05-vit.ipynb");
        if (File.Exists(output)) File.Delete(output);
        var run = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "exec", Path.Combine(Checkout.Notebooks, "05-vit.ipynb"), "--out", output, "--no-png"],
            TimeSpan.FromMinutes(10), new Dictionary<string, string?> { ["COURSE_PRETRAINED"] = "1", ["COURSE_FAST"] = null });
        Assert.True(run.ExitCode == 0, $"notebooks/05-vit.ipynb failed in pretrained mode:\n{run.Stderr}\n{run.Stdout}");
        var text = File.ReadAllText(output);
        Assert.Contains("Loaded, not trained", text);
        Assert.DoesNotContain("\"output_type\": \"error\"", text);
    }
}
