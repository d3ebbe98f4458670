using Course;

namespace Notebook.Tests;

/// <summary>
/// The environment contract (lib/Shared/CourseEnvironment.cs): the libraries read where the checkout's parts are from
/// the variables the front doors set, and say which one is missing instead of searching for the checkout.
/// </summary>
[Collection("fixtures")]
public class EnvironmentContractTests
{
    [Fact]
    public void AnUnsetVariableIsAnErrorNamingItAndSetup()
    {
        var variable = "COURSE_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var e = Assert.Throws<InvalidOperationException>(() => CourseEnvironment.Required(variable));
        Assert.Contains(variable, e.Message);
        Assert.Contains("./course setup", e.Message);
    }

    [Fact]
    public void AVariableNamingAMissingFileIsAnErrorNamingIt()
    {
        var variable = "COURSE_TEST_MISSING_" + Guid.NewGuid().ToString("N");
        try
        {
            Environment.SetEnvironmentVariable(variable, Path.Combine(Checkout.Artifacts, "no-such-file"));
            var e = Assert.Throws<FileNotFoundException>(() => CourseEnvironment.RequiredFile(variable));
            Assert.Contains(variable, e.Message);
            Assert.Throws<DirectoryNotFoundException>(() => CourseEnvironment.RequiredDirectory(variable));
        }
        finally { Environment.SetEnvironmentVariable(variable, null); }
    }

    [Fact]
    public void TheTestsLoadTheContractOfTheirCheckout()
    {
        Assert.Equal(Checkout.Root, CourseEnvironment.RequiredDirectory(CourseEnvironment.Root));
        Assert.StartsWith(Checkout.Artifacts, CourseEnvironment.RequiredFile(CourseEnvironment.TorchNative));
        Assert.StartsWith(Checkout.Artifacts, CourseEnvironment.RequiredFile(CourseEnvironment.PlotlyJs));
    }

    [Fact]
    public void TheBindingReadsTheNativeLibraryFromItsVariableOnly()
    {
        // run from inside the checkout, where artifacts/native/lib could be found by searching: it must not be
        var output = Path.Combine(Repo.TestOutput, "contract", "no-native.ipynb");
        var run = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "exec", Path.Combine(Repo.Fixtures, "course-library.ipynb"), "--out", output, "--fast", "--no-png"],
            TimeSpan.FromMinutes(5), new Dictionary<string, string?> { [CourseEnvironment.TorchNative] = null });
        Assert.Equal(1, run.ExitCode);
        var error = new Executed(output).Outputs(3).Single(); // the first cell that calls libtorch
        Assert.Equal("System.DllNotFoundException", error["ename"]!.GetValue<string>());
        Assert.Contains($"{CourseEnvironment.TorchNative} is not set", error["evalue"]!.GetValue<string>());
    }

    [Fact]
    public void TheRunnerChecksTheContractBeforeTheFirstNotebook()
    {
        var folder = Path.Combine(Repo.TestOutput, "contract", "run");
        var run = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "run", Repo.Fixtures, "--out-dir", folder, "--no-book", "--no-png"],
            TimeSpan.FromMinutes(2), new Dictionary<string, string?> { [CourseEnvironment.PlotlyJs] = null });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{CourseEnvironment.PlotlyJs} is not set", run.Stderr);
        Assert.Contains("./course setup", run.Stderr);
        Assert.DoesNotContain("running", run.Stdout);
    }

    [Fact]
    public void NotebooksLoadTheLibraryOfTheConfigurationLastBuilt()
    {
        Assert.DoesNotContain("release", File.ReadAllText(Path.Combine(Checkout.Root, "lib", "course.csx")), StringComparison.OrdinalIgnoreCase);
        var references = File.ReadAllText(Path.Combine(Checkout.Artifacts, "dotnet", "course.references.csx"));
        foreach (var assembly in new[] { "Course.Torch.dll", "Course.Display.dll", "Course.dll" })
            Assert.Contains($"#r \"bin/Course/{Checkout.Config}/{assembly}\"", references);
        // the packages a chapter may use without a NuGet restore: data frames next to the library, Plotly.NET next to its adapter
        Assert.Contains($"#r \"bin/Course/{Checkout.Config}/Microsoft.Data.Analysis.dll\"", references);
        foreach (var assembly in new[] { "Course.Display.PlotlyNet.dll", "Plotly.NET.dll", "Plotly.NET.CSharp.dll", "FSharp.Core.dll" })
            Assert.Contains($"#r \"bin/Course.Display.PlotlyNet/{Checkout.Config}/{assembly}\"", references);
    }
}
