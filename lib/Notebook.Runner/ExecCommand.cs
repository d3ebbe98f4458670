using Course.Display;
using Course.Notebook;

namespace Course.Notebook.Runner;

/// <summary><c>exec nb.ipynb [--out path] [--fast] [--no-png] [--torchsharp]</c>: runs one notebook in this process.</summary>
public static class ExecCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? notebook = null, output = null;
        bool png = true, torchsharp = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fast": Environment.SetEnvironmentVariable("COURSE_FAST", "1"); break;
                case "--no-png": png = false; break;
                case "--torchsharp": torchsharp = true; break;
                case "--out": output = i + 1 < args.Length ? args[++i] : throw new UsageException("--out needs a path."); break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {args[i]}.");
                    if (notebook is not null) throw new UsageException("exec runs exactly one notebook.");
                    notebook = args[i];
                    break;
            }
        }
        if (notebook is null) throw new UsageException("exec needs a notebook.");
        if (!notebook.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || !File.Exists(notebook))
            throw new UsageException($"{notebook} is not an existing .ipynb file.");
        var layout = RepoLayout.FromEnvironment();
        output ??= torchsharp ? Path.Combine(TorchSharpBackend.ExecutedNotebooks(layout.Artifacts), Path.GetFileName(notebook)) : layout.ExecutedCopyOf(notebook);

        Console.SetIn(TextReader.Null); // a headless run has no one to answer Console.ReadLine()
        var result = await NotebookExecutor.RunAsync(notebook, torchsharp ? document => TorchSharpBackend.Switch(document, notebook) : null);
        if (png)
        {
            try { PngRenderer.Render(result.Document, PlotlyHtml.LocateScript()); }
            catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"{notebook}: charts have no PNG rendering: {e.Message}");
            }
        }
        result.Document.Metadata["course"] = new System.Text.Json.Nodes.JsonObject
        {
            ["executed_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 2),
            ["fast"] = Environment.GetEnvironmentVariable("COURSE_FAST") == "1",
            ["succeeded"] = result.Succeeded,
            ["backend"] = torchsharp ? "torchsharp" : "course",
        };
        result.Document.Save(output);
        if (!result.Succeeded)
        {
            var e = result.Error!;
            Console.Error.WriteLine($"{notebook}: cell {result.FailedCell} failed: {e.Name}: {e.Value}" + (e.Line is { } l ? $" (cell line {l})" : ""));
            foreach (var line in e.Traceback.Skip(1).Take(12)) Console.Error.WriteLine("    " + line);
            Console.Error.WriteLine($"    executed copy with the error: {output}");
            return 1;
        }
        Console.Out.WriteLine($"{notebook}: ok ({result.CellTimes.Count} code cells, {result.Elapsed.TotalSeconds:F1}s) -> {output}");
        return 0;
    }
}
