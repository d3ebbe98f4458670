using System.Globalization;
using System.Runtime.CompilerServices;

namespace Course.Display;

/// <summary>
/// What every notebook cell sees, for a program: a chapter exported as a file-based app (<c>./course export</c>) starts
/// with <c>using static Course.Display.AppGlobals;</c> and calls <see cref="Start"/> first, so its cells'
/// <c>display(value)</c> and <c>HTML(string)</c> work as in the notebook. Displays go to an HTML page next to the app
/// (an <see cref="HtmlReport"/>: charts and tables as the notebook shows them, plotly.js inlined from the local file)
/// and their text form to the console; console text goes to both.
/// </summary>
public static class AppGlobals
{
    private static HtmlReport? _report;
    private static TextWriter? _console;

    /// <summary>The page this program writes, once <see cref="Start"/> has run.</summary>
    public static HtmlReport? Report => _report;

    /// <summary>
    /// Sets the program up as a notebook's cells expect: the environment contract from <paramref name="environmentFile"/>
    /// (variables already set win; see lib/Shared/CourseEnvironment.cs), the notebook's folder as the working folder,
    /// the invariant culture (as the notebook runner and kernel use), and the report as the display target of
    /// <see cref="Output"/> (so library views such as <see cref="Progress"/> draw into it). Relative paths are relative to
    /// the program's source file (<paramref name="app"/>, filled in by the compiler). The page is written when the program
    /// ends, with the error if one ends it.
    /// </summary>
    /// <param name="report">The HTML page to write.</param>
    /// <param name="title">Its title (the chapter's).</param>
    /// <param name="environmentFile">NAME=value lines (artifacts/course.env, which <c>./course setup</c> writes); null: none.</param>
    /// <param name="workingDirectory">The folder to run in (the notebook's); null: stay.</param>
    public static HtmlReport Start(string report, string title, string? environmentFile = null, string? workingDirectory = null,
        [CallerFilePath] string app = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(report);
        if (_report is not null) throw new InvalidOperationException("AppGlobals.Start was already called; a program has one report.");
        var folder = Path.GetDirectoryName(app) is { Length: > 0 } d ? d : Directory.GetCurrentDirectory();
        string Resolve(string path) => Path.GetFullPath(path, folder);

        if (environmentFile is not null) LoadEnvironment(Resolve(environmentFile));
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        if (workingDirectory is not null)
        {
            var work = Resolve(workingDirectory);
            if (!Directory.Exists(work)) throw new DirectoryNotFoundException($"the folder {work} to run in does not exist.");
            Directory.SetCurrentDirectory(work);
        }

        var page = new HtmlReport(Resolve(report), title ?? "");
        _console = Console.Out;
        Console.SetOut(new ReportConsoleWriter(Console.Out, page, "stdout"));
        Console.SetError(new ReportConsoleWriter(Console.Error, page, "stderr"));
        Output.UseHost(page);
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception) page.WriteError(exception);
            page.Write();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            page.Write();
            _console.WriteLine($"report: {page.Path}");
            _console.Flush();
        };
        _report = page;
        page.Write();
        return page;
    }

    /// <summary>Shows a value: into the report (with <see cref="Start"/>) and its text form on the console; returns the handle that replaces it.</summary>
    public static DisplayHandle? display(object? value, params string[] mimeTypes)
    {
        if (_report is null) return Output.Display(value, mimeTypes);
        _console!.WriteLine(Formatter.ToPlainText(value));
        return _report.Display(value, mimeTypes);
    }

    /// <summary>Raw HTML; display it.</summary>
    public static HtmlString HTML(string html) => new(html ?? throw new ArgumentNullException(nameof(html)));

    /// <summary>Sets each NAME=value line of <paramref name="file"/> that is not set already.</summary>
    private static void LoadEnvironment(string file)
    {
        if (!File.Exists(file))
            throw new FileNotFoundException($"{file} does not exist; run './course setup' (it writes the environment contract there).", file);
        foreach (var line in File.ReadLines(file))
        {
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var name = line[..eq].Trim();
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, line[(eq + 1)..]);
        }
    }
}
