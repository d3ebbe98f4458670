namespace Kernel.Tests;

/// <summary>
/// Chapters executed through Jupyter's own client (nbconvert --execute, i.e. nbclient) with this kernel in fast mode,
/// compared with the headless runner's executed copy: the same cells run and succeed, with the same output kinds and
/// MIME types. The executed copies stay in artifacts/test-kernel/chapters/ for inspection.
/// <para>
/// Every chapter runs through the runner in Notebook.Tests; through the kernel, by default, the chapters in
/// <see cref="RoundTrip"/>, which between them produce every kind of output the chapters make, so that the suite stays
/// well inside CI's time as chapters are added. <c>COURSE_KERNEL_CHAPTERS=all</c> takes every chapter.
/// </para>
/// </summary>
[Collection("jupyter")]
public class ChapterTests(JupyterEnvironment jupyter, Xunit.Abstractions.ITestOutputHelper log)
{
    /// <summary>
    /// 00: text, display handles updated in place, progress; 05: training progress, attention heat maps, image grids;
    /// 12: every chart type the kit draws (curves, histograms, reliability diagrams), tables; 16: child processes (the
    /// model server and the load test) under the kernel. (17 and 18, generated image grids and text, were here too: their
    /// executed copies showed no output kind or MIME type that these four lack, and they took three of CI's minutes.)
    /// </summary>
    public static readonly string[] RoundTrip = ["00", "05", "12", "16"];

    public static TheoryData<string> Chapters()
    {
        bool all = Environment.GetEnvironmentVariable("COURSE_KERNEL_CHAPTERS") == "all";
        var data = new TheoryData<string>();
        foreach (var nb in Directory.EnumerateFiles(Checkout.Notebooks, "*.ipynb").Order(StringComparer.Ordinal))
            if (all || RoundTrip.Any(n => Path.GetFileName(nb).StartsWith(n + "-", StringComparison.Ordinal)))
                data.Add(Path.GetFileName(nb));
        return data;
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void RunsThroughNbconvertLikeTheRunner(string chapter)
    {
        var folder = Path.Combine(Repo.TestOutput, "chapters");
        Directory.CreateDirectory(folder);
        var name = Path.GetFileNameWithoutExtension(chapter);
        var viaKernel = Path.Combine(folder, name + ".kernel.ipynb");
        var viaRunner = Path.Combine(folder, name + ".runner.ipynb");
        foreach (var f in new[] { viaKernel, viaRunner }) if (File.Exists(f)) File.Delete(f);

        var nbconvert = jupyter.Python(
            ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=csharp-course",
             "--ExecutePreprocessor.timeout=1200", "--output-dir", folder, "--output", name + ".kernel", Path.Combine(Checkout.Notebooks, chapter)],
            TimeSpan.FromMinutes(20), cwd: Checkout.Root);
        Assert.True(nbconvert.ExitCode == 0 && File.Exists(viaKernel), $"nbconvert --execute with the kernel failed on notebooks/{chapter}:\n{nbconvert}");

        // the runner's copy: the one Notebook.Tests just made when it is fresh (saves running the chapter twice), else run it
        var runnerSeconds = "reused";
        if (FreshRunnerCopy(chapter) is { } fresh) File.Copy(fresh, viaRunner, overwrite: true);
        else
        {
            var runner = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "exec", Path.Combine(Checkout.Notebooks, chapter), "--out", viaRunner, "--fast", "--no-png"],
                TimeSpan.FromMinutes(20), new Dictionary<string, string?> { ["COURSE_FAST"] = "1" });
            Assert.True(runner.ExitCode == 0, $"the headless runner failed on notebooks/{chapter}:\n{runner}");
            runnerSeconds = $"{runner.Elapsed.TotalSeconds:F1} s";
        }

        var expected = OutputShape.OfCells(viaRunner);
        var actual = OutputShape.OfCells(viaKernel);
        Assert.Equal(expected.Count, actual.Count);
        var differences = expected.Zip(actual).Where(p => p.First != p.Second).Select(p => $"runner: {p.First}\nkernel: {p.Second}").ToList();
        Assert.True(differences.Count == 0,
            $"notebooks/{chapter}: the kernel's outputs differ from the runner's ({nbconvert.Elapsed.TotalSeconds:F0} s via the kernel, runner: {runnerSeconds}):\n" +
            string.Join("\n\n", differences));
        log.WriteLine($"notebooks/{chapter}: {nbconvert.Elapsed.TotalSeconds:F1} s through nbconvert and the kernel; runner: {runnerSeconds}");
    }

    /// <summary>
    /// Notebook.Tests' executed copy of the chapter (artifacts/test-notebooks/chapters/) when it is a successful fast run
    /// newer than the notebook and than the runner and course library builds; otherwise null.
    /// </summary>
    private static string? FreshRunnerCopy(string chapter)
    {
        var copy = Path.Combine(Checkout.Artifacts, "test-notebooks", "chapters", chapter);
        if (!File.Exists(copy)) return null;
        var made = File.GetLastWriteTimeUtc(copy);
        var inputs = new[] { Path.Combine(Checkout.Notebooks, chapter), Checkout.RunnerDll, Checkout.Built("Course", "Course.dll") };
        if (inputs.Any(f => !File.Exists(f) || File.GetLastWriteTimeUtc(f) > made)) return null;
        var course = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(copy))?["metadata"]?["course"];
        return course?["fast"]?.GetValue<bool>() == true && course["succeeded"]?.GetValue<bool>() == true ? copy : null;
    }
}
