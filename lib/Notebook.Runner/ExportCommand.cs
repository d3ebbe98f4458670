namespace Course.Notebook.Runner;

/// <summary>
/// <c>export [notebook-or-folder ...] [--out folder]</c>: writes each notebook as a .NET file-based app,
/// artifacts/apps/&lt;chapter&gt;.cs by default (see <see cref="FileBasedAppExporter"/>), and says how to run it.
/// </summary>
public static class ExportCommand
{
    public static int Run(string[] args)
    {
        var layout = RepoLayout.FromEnvironment();
        var paths = new List<string>();
        string? outDir = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out": outDir = i + 1 < args.Length ? Path.GetFullPath(args[++i]) : throw new UsageException("--out needs a folder."); break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {args[i]}.");
                    paths.Add(args[i]);
                    break;
            }
        }
        var notebooks = RunCommand.Collect(paths.Count > 0 ? paths : [layout.Notebooks]);
        if (notebooks.Count == 0) throw new UsageException($"no notebooks found in {string.Join(", ", paths.DefaultIfEmpty(layout.Notebooks))}.");
        outDir ??= layout.Apps;
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        foreach (var notebook in notebooks)
        {
            var document = NotebookDocument.Load(notebook);
            var app = Path.Combine(outDir, Path.GetFileNameWithoutExtension(notebook) + ".cs");
            var settings = new FileBasedAppExporter.Settings(app, Path.GetDirectoryName(notebook), layout.Root, BookBuilder.TitleOf(document, notebook));
            string text;
            try { text = FileBasedAppExporter.Export(document, settings); }
            catch (Exception e) when (e is NotebookDirectiveException or InvalidDataException)
            {
                throw new InvalidDataException($"{Path.GetRelativePath(layout.Root, notebook)}: {e.Message}", e);
            }
            var temp = app + $".tmp-{Environment.ProcessId}";
            File.WriteAllText(temp, text);
            File.Move(temp, app, overwrite: true);
            written.Add(app);
            Console.Out.WriteLine($"  {Path.GetRelativePath(layout.Root, notebook)} -> {Path.GetRelativePath(layout.Root, app)}");
        }
        Console.Out.WriteLine($"exported {written.Count} notebook{(written.Count == 1 ? "" : "s")}; run one from {layout.Root} (after ./course setup) with:");
        Console.Out.WriteLine($"  {FileBasedAppExporter.RunCommandLine(written[0], layout.Root)}");
        Console.Out.WriteLine("  (it reads artifacts/course.env for the checkout's environment; displays go to the .html next to the app)");
        return 0;
    }
}
