using System.Net;
using System.Text.Json.Nodes;

namespace Kernel.Tests;

/// <summary>
/// .NET Interactive (the dotnet-interactive tool that ./course setup installs) as the chapters' second home: its
/// kernelspec listens on loopback only, and chapters executed in it through nbconvert show what the course kernel shows
/// (the same outputs with the same MIME types and, where no duration is printed, the same values, drawn by the kit's formatters and offline plotly.js), at a similar size.
/// </summary>
[Collection("jupyter")]
public class InteractiveTests(JupyterEnvironment jupyter, Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public void KernelspecStartsDotnetInteractiveWithTheCourseEnvironment()
    {
        var folder = Path.Combine(jupyter.DataDirectory, "kernels", "csharp-course-interactive");
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!.AsObject();
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal([JupyterEnvironment.InteractiveTool, "jupyter", "--default-kernel", "csharp", "--http-local-only", "{connection_file}"], argv);
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        Assert.Equal(Checkout.Root, spec["env"]![Course.CourseEnvironment.Root]!.GetValue<string>());
        Assert.Equal("1", spec["env"]!["OPENBLAS_NUM_THREADS"]!.GetValue<string>());
    }

    [Fact]
    public void ListensOnLoopbackOnly()
    {
        var run = jupyter.Python(["interactive_ports.py", "csharp-course-interactive"], TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0 && run.Stdout.TrimEnd().EndsWith("OK", StringComparison.Ordinal), run.ToString());
        // the kernel's own log shares stdout: the script marks its lines
        var listeners = run.Stdout.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("listening ", StringComparison.Ordinal)).Select(l => l[10..]).ToList();
        log.WriteLine(string.Join("\n", listeners));
        Assert.True(listeners.Count >= 5, $"expected Jupyter's five ports at least:\n{run}");
        foreach (var entry in listeners)
        {
            var address = IPAddress.Parse(entry.Split(' ')[0]);
            Assert.True(IPAddress.IsLoopback(address), $"dotnet-interactive listens on {entry}, which is not a loopback address");
        }
    }

    [Theory]
    [InlineData("00-getting-started.ipynb")]
    [InlineData("05-vit.ipynb")]
    public void ChapterRendersAsInTheCourseKernel(string chapter)
    {
        var folder = Path.Combine(Repo.TestOutput, "interactive");
        Directory.CreateDirectory(folder);
        var name = Path.GetFileNameWithoutExtension(chapter);
        var viaInteractive = Path.Combine(folder, name + ".interactive.ipynb");
        var viaRunner = Path.Combine(folder, name + ".runner.ipynb");
        foreach (var f in new[] { viaInteractive, viaRunner }) if (File.Exists(f)) File.Delete(f);

        var nbconvert = jupyter.Python(
            ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=csharp-course-interactive",
             "--ExecutePreprocessor.timeout=1200", "--output-dir", folder, "--output", name + ".interactive", Path.Combine(Checkout.Notebooks, chapter)],
            TimeSpan.FromMinutes(20), cwd: Checkout.Root);
        Assert.True(nbconvert.ExitCode == 0 && File.Exists(viaInteractive), $"nbconvert --execute with .NET Interactive failed on notebooks/{chapter}:\n{nbconvert}");
        var runner = ChildProcess.Run("dotnet", [Checkout.RunnerDll, "exec", Path.Combine(Checkout.Notebooks, chapter), "--out", viaRunner, "--fast", "--no-png"],
            TimeSpan.FromMinutes(20), new Dictionary<string, string?> { ["COURSE_FAST"] = "1" });
        Assert.True(runner.ExitCode == 0, $"the headless runner failed on notebooks/{chapter}:\n{runner}");

        var expected = Shape(viaRunner);
        var actual = Shape(viaInteractive);
        Assert.Equal(expected.Count, actual.Count);
        var differences = expected.Zip(actual).Where(p => p.First != p.Second).Select(p => $"runner:      {p.First}\ninteractive: {p.Second}").ToList();
        Assert.True(differences.Count == 0, $"notebooks/{chapter}: .NET Interactive's outputs differ from the runner's:\n" + string.Join("\n\n", differences));

        long runnerBytes = new FileInfo(viaRunner).Length, interactiveBytes = new FileInfo(viaInteractive).Length;
        log.WriteLine($"notebooks/{chapter}: {nbconvert.Elapsed.TotalSeconds:F1} s and {interactiveBytes / 1e6:F2} MB in .NET Interactive; " +
                      $"runner {runner.Elapsed.TotalSeconds:F1} s and {runnerBytes / 1e6:F2} MB");
        Assert.True(interactiveBytes <= 2 * runnerBytes, $"the chapter executed in .NET Interactive is {interactiveBytes} bytes, the runner's {runnerBytes}");

        // the values too: what each cell printed and returned, as text, is the same (seeded), except where it reports a duration
        var printed = Printed(viaRunner).Zip(Printed(viaInteractive)).ToList();
        var compared = printed.Where(p => !Timed.IsMatch(p.First) && !Timed.IsMatch(p.Second)).ToList();
        Assert.True(2 * compared.Count >= printed.Count, $"notebooks/{chapter}: only {compared.Count} of {printed.Count} code cells print no duration, too few to compare values");
        var differing = compared.Where(p => p.First != p.Second).Select(p => $"runner:\n{p.First}\ninteractive:\n{p.Second}").ToList();
        Assert.True(differing.Count == 0, $"notebooks/{chapter}: .NET Interactive's values differ from the runner's:\n" + string.Join("\n\n", differing));
    }

    /// <summary>A number with a unit of time, or a column of them: output that differs from run to run.</summary>
    private static readonly System.Text.RegularExpressions.Regex Timed = new(@"\d\s?(s|ms|min)\b|[Ss]econds|minutes|_ms\b|\bms_");

    /// <summary>Per code cell: what it wrote to stdout and the text form of its value, in order.</summary>
    private static List<string> Printed(string notebookPath) =>
        JsonNode.Parse(File.ReadAllText(notebookPath))!["cells"]!.AsArray().OfType<JsonObject>()
            .Where(c => c["cell_type"]?.GetValue<string>() == "code")
            .Select(c => string.Concat((c["outputs"] as JsonArray ?? []).OfType<JsonObject>().Select(o => o["output_type"]!.GetValue<string>() switch
            {
                "stream" when o["name"]!.GetValue<string>() == "stdout" => Joined(o["text"]),
                "execute_result" => Text(o["data"]!.AsObject(), "text/plain"),
                _ => null,
            })))
            .ToList();

    /// <summary>
    /// The tool ships FSharp.Core 10.0 and loads it before the first cell; Plotly.NET 6.0.0 needs 10.1. Setup replaces
    /// the tool's copy by the one the kit builds with, so the tool's is at least as new as the one Plotly.NET came with.
    /// </summary>
    [Fact]
    public void TheToolsFSharpCoreIsAsNewAsTheOnePlotlyNetIsBuiltWith()
    {
        var tool = Path.Combine(Path.GetDirectoryName(JupyterEnvironment.InteractiveTool)!, ".store", "microsoft.dotnet-interactive");
        var toolCopies = Directory.GetFiles(tool, "FSharp.Core.dll", SearchOption.AllDirectories);
        Assert.Single(toolCopies);
        var kits = Path.Combine(Path.GetDirectoryName(Checkout.Built("Course.Display.PlotlyNet", "Course.Display.PlotlyNet.dll"))!, "FSharp.Core.dll");
        var toolVersion = System.Reflection.AssemblyName.GetAssemblyName(toolCopies[0]).Version!;
        var kitVersion = System.Reflection.AssemblyName.GetAssemblyName(kits).Version!;
        Assert.True(kitVersion >= new Version(10, 1), $"the kit builds Plotly.NET with FSharp.Core {kitVersion}, expected 10.1 or later");
        Assert.True(toolVersion >= kitVersion, $"dotnet-interactive's FSharp.Core is {toolVersion}, older than the {kitVersion} Plotly.NET needs; './course setup' replaces it");
    }

    /// <summary>A Plotly.NET chart as a cell's value draws in .NET Interactive as it does in the course kernel: HTML with the kit's plotly.js.</summary>
    [Fact]
    public void PlotlyNetChartDrawsThere()
    {
        var folder = Path.Combine(Repo.TestOutput, "interactive");
        Directory.CreateDirectory(folder);
        var notebook = Path.Combine(folder, "plotly-net.ipynb");
        var executed = Path.Combine(folder, "plotly-net.executed.ipynb");
        if (File.Exists(executed)) File.Delete(executed);
        var cells = new JsonArray(
            Code($"#load \"{Path.Combine(Checkout.Root, "lib", "course.csx")}\""),
            Code("using PlotlyChart = Plotly.NET.CSharp.Chart;\nPlotlyChart.Line<int, double, string>(x: new[] { 0, 1, 2 }, y: new[] { 1.0, 4.0, 9.0 }, Name: \"squares\")"));
        var root = new JsonObject
        {
            ["cells"] = cells, ["nbformat"] = 4, ["nbformat_minor"] = 4,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "csharp-course-interactive", ["display_name"] = ".NET Interactive C# (course)", ["language"] = "C#" } },
        };
        File.WriteAllText(notebook, root.ToJsonString());

        var nbconvert = jupyter.Python(
            ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=csharp-course-interactive",
             "--ExecutePreprocessor.timeout=300", "--output-dir", folder, "--output", "plotly-net.executed", notebook],
            TimeSpan.FromMinutes(5), cwd: Checkout.Root);
        Assert.True(nbconvert.ExitCode == 0 && File.Exists(executed), $"a Plotly.NET chart failed in .NET Interactive:\n{nbconvert}");
        var outputs = JsonNode.Parse(File.ReadAllText(executed))!["cells"]![1]!["outputs"]!.AsArray().OfType<JsonObject>().ToList();
        var result = Assert.Single(outputs, o => o["output_type"]!.GetValue<string>() == "execute_result");
        var html = Text(result["data"]!.AsObject(), "text/html");
        Assert.NotNull(html);
        Assert.Contains("window.Plotly.newPlot", html, StringComparison.Ordinal);   // the kit's renderer, not Plotly.NET's own page
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);             // offline: no script from a CDN
        Assert.Contains("squares", html, StringComparison.Ordinal);
        Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "error");
    }

    private static JsonObject Code(string source) => new()
    {
        ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = source,
    };

    /// <summary>
    /// Per code cell: its output kinds and MIME types, as <see cref="OutputShape"/> gives them, after three differences
    /// that are .NET Interactive's and not the kit's: its own bootstrap script (one HTML output in the first cell), JSON
    /// MIME types (it hands every value on as a string, so the kit sends the text forms only), and an HTML form that is
    /// only the text form in a &lt;pre&gt; (it asks a type for one list of MIME types, the kit's bundles vary per value).
    /// </summary>
    private static List<string> Shape(string notebookPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(notebookPath))!.AsObject();
        foreach (var cell in root["cells"]!.AsArray().OfType<JsonObject>())
        {
            if (cell["outputs"] is not JsonArray outputs) continue;
            foreach (var output in outputs.OfType<JsonObject>().ToList())
            {
                if (output["data"] is not JsonObject data) continue;
                if (Text(data, "text/html") is { } html && html.Contains("dotnet-interactive-this-cell", StringComparison.Ordinal)) { outputs.Remove(output); continue; }
                foreach (var key in data.Select(kv => kv.Key).Where(k => k.StartsWith("application/", StringComparison.Ordinal) && k.EndsWith("json", StringComparison.Ordinal)).ToList())
                    data.Remove(key);
                if (Text(data, "text/html") is { } h && Text(data, "text/plain") is { } plain && h == "<pre>" + WebUtility.HtmlEncode(plain) + "</pre>")
                    data.Remove("text/html");
            }
        }
        var normalized = Path.Combine(Path.GetDirectoryName(notebookPath)!, Path.GetFileNameWithoutExtension(notebookPath) + ".shape.json");
        File.WriteAllText(normalized, root.ToJsonString());
        return OutputShape.OfCells(normalized);
    }

    private static string? Text(JsonObject data, string mimeType) => Joined(data[mimeType]);

    /// <summary>A notebook's multi-line string (a list of lines, or one string) as one string; null when absent.</summary>
    private static string? Joined(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => null,
    };
}
