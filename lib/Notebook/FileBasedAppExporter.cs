using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Course.Notebook;

/// <summary>
/// Turns a notebook into one .NET file-based app (<c>dotnet run chapter.cs</c>), a C# program that does what the
/// notebook's cells do, in order. Script semantics become a program's, on Roslyn syntax trees:
/// <list type="bullet">
/// <item>markdown cells become <c>//</c> comments where they stood;</item>
/// <item><c>#load</c> is expanded: the loaded file's <c>#r</c> of a build output under artifacts/dotnet/bin/&lt;project&gt;/
/// becomes <c>#:project</c> to that project (built in the same configuration), its <c>global using</c>s become usings, its
/// statements run where the <c>#load</c> stood; <c>#r "nuget: Name, Version"</c> becomes <c>#:package</c>;</item>
/// <item>using directives of any cell move to the top; type declarations move after the statements (a program
/// declares them last), in their order; a script's top-level functions become local functions;</item>
/// <item>a cell's last expression without a semicolon, which a notebook displays, becomes <c>display(expression);</c> (unless it is void);</item>
/// <item>a variable or function that a later cell declares again is renamed there and in its uses
/// (<see cref="RedeclarationRenamer"/>); a variable declared without a value starts as <c>default</c>, as a script's does.</item>
/// </list>
/// The program starts with <c>Course.Display.AppGlobals.Start</c>, which gives the cells <c>display</c> and <c>HTML</c>
/// (an HTML report next to the app), the notebook's folder as working folder and the checkout's environment contract.
/// </summary>
public sealed class FileBasedAppExporter
{
    /// <param name="AppPath">Where the app's .cs file will be (paths in it are relative to it).</param>
    /// <param name="NotebookFolder">The notebook's folder: #load paths are relative to it and the app runs in it; null: no #load, stays in the current folder.</param>
    /// <param name="RepositoryRoot">The checkout: its projects (by name) stand for the build outputs a #r names; its artifacts/course.env is the environment the app loads; null: neither.</param>
    /// <param name="Title">The report's title (the chapter's).</param>
    public sealed record Settings(string AppPath, string? NotebookFolder = null, string? RepositoryRoot = null, string? Title = null);

    /// <summary>What every cell sees besides its usings (<see cref="NotebookGlobals"/>; in the app, Course.Display.AppGlobals).</summary>
    private static readonly string[] Globals = ["display", "HTML"];

    private static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);
    private static readonly HashSet<string> LocalFunctionModifiers = new(StringComparer.Ordinal) { "static", "async", "unsafe", "extern" };

    private readonly Settings _settings;
    private readonly string _appFolder;
    private readonly List<string> _properties = new();
    private readonly List<string> _projects = new();
    private readonly List<string> _packages = new();
    private readonly List<string> _usings = new();
    private readonly StringBuilder _statements = new();
    private readonly StringBuilder _types = new();
    private readonly HashSet<string> _loaded = new(StringComparer.Ordinal);
    private readonly List<string> _referencedFiles = new();
    private RedeclarationRenamer _renamer = new([]);
    private Dictionary<string, string>? _projectsByName;
    private string? _configuration;

    private FileBasedAppExporter(Settings settings)
    {
        _settings = settings;
        _appFolder = Path.GetDirectoryName(Path.GetFullPath(settings.AppPath))!;
    }

    /// <summary>The app's source text for <paramref name="notebook"/>.</summary>
    /// <exception cref="NotebookDirectiveException">A cell uses a directive or magic that has no program equivalent.</exception>
    /// <exception cref="InvalidDataException">A cell does not parse, or declares something a program cannot hold at its top level.</exception>
    public static string Export(NotebookDocument notebook, Settings settings)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.AppPath);
        return new FileBasedAppExporter(settings).Convert(notebook);
    }

    /// <summary>The command line that runs the app at <paramref name="appPath"/> from <paramref name="folder"/> (fast mode or not).</summary>
    public static string RunCommandLine(string appPath, string folder, bool fast = true) =>
        $"{(fast ? "COURSE_FAST=1 " : "")}dotnet run {Path.GetRelativePath(folder, Path.GetFullPath(appPath))}";

    private string Convert(NotebookDocument notebook)
    {
        var cells = notebook.Cells.Select(c => (c.CellType, Source: c.Source)).ToList();
        var trees = cells.Where(c => c.CellType == "code").Select(c => CSharpSyntaxTree.ParseText(c.Source, ScriptOptions).GetCompilationUnitRoot()).ToList();
        _renamer = new RedeclarationRenamer(
            reserved: trees.SelectMany(t => t.DescendantTokens()).Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText),
            topLevelNames: trees.SelectMany(RedeclarationRenamer.TopLevelDeclarations),
            globals: Globals);
        for (int i = 0; i < cells.Count; i++)
        {
            var (type, source) = cells[i];
            if (_statements.Length > 0) _statements.Append('\n');
            if (type == "code") AddSource(source, _settings.NotebookFolder, $"cell {i + 1}", isCell: true);
            else if (source.Trim().Length > 0) _statements.Append(Comment(source));
        }
        return ResolveShownExpressions(Assemble());
    }

    /// <summary>Stands for display(...) around a cell's last expression until its type is known.</summary>
    private const string ShowMarker = "__CourseExportShow";

    /// <summary>
    /// A cell's last expression is displayed unless its type is void (the engine's rule): each marked one becomes
    /// <c>display(expression);</c>, or <c>expression;</c> when the program, compiled against the framework and the
    /// assemblies the notebook references, says it is void. An expression whose type cannot be told is displayed.
    /// </summary>
    private string ResolveShownExpressions(string program)
    {
        if (!program.Contains(ShowMarker, StringComparison.Ordinal)) return program;
        var tree = CSharpSyntaxTree.ParseText(program, new CSharpParseOptions(LanguageVersion.Latest));
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "").Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == frameworkDir)
            .Concat(_referencedFiles.Where(File.Exists))
            .Append(typeof(Course.Display.AppGlobals).Assembly.Location)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("export", [tree], references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, allowUnsafe: true));
        var model = compilation.GetSemanticModel(tree);
        var changes = new List<TextChange>();
        foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
                     .Where(c => c.Expression is IdentifierNameSyntax { Identifier.ValueText: ShowMarker }))
        {
            var expression = call.ArgumentList.Arguments[0].Expression;
            bool isVoid = model.GetTypeInfo(expression).Type is { SpecialType: SpecialType.System_Void };
            if (isVoid)
            {
                changes.Add(new TextChange(TextSpan.FromBounds(call.SpanStart, expression.SpanStart), ""));
                changes.Add(new TextChange(TextSpan.FromBounds(expression.Span.End, call.Span.End), ""));
            }
            else changes.Add(new TextChange(call.Expression.Span, "display"));
        }
        return Apply(program, changes);
    }

    private string Assemble()
    {
        var title = _settings.Title ?? Path.GetFileNameWithoutExtension(_settings.AppPath);
        var sb = new StringBuilder();
        sb.Append($"// {title}\n");
        sb.Append("// A chapter notebook as a .NET file-based app, written by ./course export (do not edit: export again).\n");
        sb.Append("// Run it from the checkout after ./course setup, e.g. in fast mode:\n");
        sb.Append($"//     COURSE_FAST=1 dotnet run {RelativeToRoot(_settings.AppPath)}\n");
        sb.Append($"// Displays go to {Path.GetFileNameWithoutExtension(_settings.AppPath)}.html next to this file, text to the console.\n\n");
        // a script's context: the notebook's usings only (no implicit ones), nullable annotations off; a JIT-compiled
        // program like the notebook's cells (file-based apps default to native AOT, whose compiler package a build
        // would have to download and whose trimming defaults turn reflection-based JSON off)
        sb.Append("#:property ImplicitUsings=disable\n#:property Nullable=disable\n#:property PublishAot=false\n");
        // the configuration the library was built in (the #r paths tell); optimized like the engine compiles cells (an
        // app's Optimize default follows the configuration it starts with, Debug, so it is set too)
        if (_configuration is not null) sb.Append($"#:property Configuration={_configuration}\n");
        sb.Append("#:property Optimize=true\n");
        foreach (var p in _properties) sb.Append($"#:property {p}\n");
        foreach (var p in _projects) sb.Append($"#:project {p}\n");
        foreach (var p in _packages) sb.Append($"#:package {p}\n");
        sb.Append('\n');
        // the engine's imports first, then the notebook's in the order they came
        var engine = NotebookSession.DefaultImports.Select(u => $"using {u};").Append("using static Course.Display.AppGlobals;").ToList();
        foreach (var u in engine.Concat(_usings.Except(engine))) sb.Append(u).Append('\n');
        sb.Append('\n');
        var report = Path.GetFileNameWithoutExtension(_settings.AppPath) + ".html";
        var start = new StringBuilder($"Course.Display.AppGlobals.Start(report: {Literal(report)}, title: {Literal(title)}");
        if (_settings.RepositoryRoot is { } root) start.Append($", environmentFile: {Literal(Relative(Path.Combine(root, "artifacts", "course.env")))}");
        if (_settings.NotebookFolder is { } folder) start.Append($", workingDirectory: {Literal(Relative(folder))}");
        sb.Append(start).Append(");\n\n");
        sb.Append(_statements.ToString().TrimEnd()).Append('\n');
        if (_types.Length > 0)
        {
            sb.Append("\n// The types the cells declare: a program declares them after its statements.\n");
            sb.Append(_types.ToString().TrimEnd()).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Adds one cell's code, or a loaded file's, to the program.</summary>
    private void AddSource(string code, string? baseFolder, string origin, bool isCell)
    {
        CellPreprocessor.Result pre;
        try { pre = CellPreprocessor.Process(code); }
        catch (NotebookDirectiveException e) { throw new NotebookDirectiveException($"{origin}: {e.Message}", e.Line); }
        foreach (var package in pre.Packages) AddOnce(_packages, package.Version is null ? $"{package.Name}@*" : $"{package.Name}@{package.Version}");
        foreach (var source in pre.Sources) AddOnce(_properties, $"RestoreAdditionalProjectSources={source}");

        var tree = CSharpSyntaxTree.ParseText(pre.Code, ScriptOptions);
        var root = tree.GetCompilationUnitRoot();
        if (tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
            throw new InvalidDataException($"{origin} does not parse (line {error.Location.GetLineSpan().StartLinePosition.Line + 1}): {error.GetMessage()}");

        var changes = new List<TextChange>();
        foreach (var load in root.GetLoadDirectives())
        {
            if (baseFolder is null) throw new NotebookDirectiveException($"{origin}: #load needs the notebook's folder.", Line(load));
            var path = Path.GetFullPath(load.File.ValueText, baseFolder);
            if (!File.Exists(path)) throw new FileNotFoundException($"{origin}: #load \"{load.File.ValueText}\": {path} does not exist; run './course setup'.", path);
            if (_loaded.Add(path)) AddSource(File.ReadAllText(path), Path.GetDirectoryName(path), path, isCell: false);
            changes.Add(new TextChange(load.FullSpan, ""));
        }
        foreach (var reference in root.GetReferenceDirectives())
        {
            AddProjectFor(reference.File.ValueText, baseFolder, origin, Line(reference));
            changes.Add(new TextChange(reference.FullSpan, ""));
        }
        changes.AddRange(_renamer.Rename(root));
        foreach (var member in root.Members)
        {
            var declaration = member switch
            {
                FieldDeclarationSyntax f when !f.Modifiers.Any(SyntaxKind.ConstKeyword) => f.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax { IsConst: false, UsingKeyword.RawKind: 0 } l } => l.Declaration,
                _ => null
            };
            // a script's variable starts as its default; a program's local would be unassigned
            foreach (var v in declaration?.Variables.Where(v => v.Initializer is null) ?? [])
                changes.Add(new TextChange(new TextSpan(v.Identifier.Span.End, 0), " = default"));
        }
        if (isCell && root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
        {
            changes.Add(new TextChange(new TextSpan(last.Expression.SpanStart, 0), ShowMarker + "("));
            changes.Add(new TextChange(new TextSpan(last.Expression.Span.End, 0), ");"));
        }

        var edited = CSharpSyntaxTree.ParseText(Apply(pre.Code, changes), ScriptOptions).GetCompilationUnitRoot();
        if (edited.AttributeLists.Count > 0 || edited.Externs.Count > 0)
            throw new InvalidDataException($"{origin}: assembly attributes and extern aliases have no place in an exported app.");
        foreach (var u in edited.Usings)
            AddUsing(u.WithGlobalKeyword(default).NormalizeWhitespace().ToString());
        foreach (var member in edited.Members)
        {
            switch (member)
            {
                case GlobalStatementSyntax statement:
                    _statements.Append(statement.ToFullString());
                    break;
                case FieldDeclarationSyntax field:
                    _statements.Append(field.WithModifiers(Keep(field.Modifiers, m => m.IsKind(SyntaxKind.ConstKeyword))).WithLeadingTrivia(field.GetLeadingTrivia()).ToFullString());
                    break;
                case MethodDeclarationSyntax method:
                    _statements.Append(method.WithModifiers(Keep(method.Modifiers, m => LocalFunctionModifiers.Contains(m.ValueText))).WithLeadingTrivia(method.GetLeadingTrivia()).ToFullString());
                    break;
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    _types.Append(member.ToFullString().TrimEnd()).Append("\n\n");
                    break;
                default:
                    throw new InvalidDataException($"{origin} (line {Line(member)}): a top-level {member.Kind()} has no place in a program's statements; make it a variable or a function.");
            }
        }
        if (isCell && edited.EndOfFileToken.LeadingTrivia.ToFullString() is { } tail && tail.Trim().Length > 0) _statements.Append(tail);
        if (_statements.Length > 0 && _statements[^1] != '\n') _statements.Append('\n');
    }

    /// <summary>A #r of a build output (artifacts/dotnet/bin/&lt;project&gt;/&lt;configuration&gt;/...) becomes a #:project to that project.</summary>
    private void AddProjectFor(string reference, string? baseFolder, string origin, int line)
    {
        var root = _settings.RepositoryRoot
            ?? throw new NotebookDirectiveException($"{origin}: #r \"{reference}\" stands for a project of the checkout; export with the repository's root.", line);
        var path = Path.GetFullPath(reference, baseFolder ?? root);
        _referencedFiles.Add(path);
        var bin = Path.Combine(Path.GetFullPath(root), "artifacts", "dotnet", "bin") + Path.DirectorySeparatorChar;
        var parts = path.StartsWith(bin, StringComparison.Ordinal) ? path[bin.Length..].Split(Path.DirectorySeparatorChar) : [];
        if (parts.Length < 3)
            throw new NotebookDirectiveException($"{origin}: #r \"{reference}\" is not a build output of this checkout (artifacts/dotnet/bin/<project>/<configuration>/); an app references projects and packages only.", line);
        _projectsByName ??= Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(root, p).StartsWith("artifacts", StringComparison.Ordinal))
            .GroupBy(p => Path.GetFileNameWithoutExtension(p)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        if (!_projectsByName.TryGetValue(parts[0], out var project))
            throw new NotebookDirectiveException($"{origin}: #r \"{reference}\" comes from the build of {parts[0]}, and no {parts[0]}.csproj is in the checkout.", line);
        var configuration = parts[1].Length > 0 ? char.ToUpperInvariant(parts[1][0]) + parts[1][1..] : parts[1];
        if (_configuration is not null && _configuration != configuration)
            throw new NotebookDirectiveException($"{origin}: #r \"{reference}\" is a {configuration} build, other references a {_configuration} one; build the library once (./course setup).", line);
        _configuration = configuration;
        AddOnce(_projects, Relative(project));
    }

    /// <summary>Applies edits given in the original text's positions (insertions at one place keep their order).</summary>
    private static string Apply(string text, List<TextChange> changes)
    {
        var ordered = changes.Select((c, i) => (c, i)).OrderBy(x => x.c.Span.Start).ThenBy(x => x.c.Span.Length).ThenBy(x => x.i).Select(x => x.c).ToList();
        var sb = new StringBuilder();
        int at = 0;
        foreach (var change in ordered)
        {
            if (change.Span.Start < at) throw new InvalidOperationException($"overlapping edits at {change.Span.Start}.");
            sb.Append(text, at, change.Span.Start - at).Append(change.NewText);
            at = change.Span.End;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }

    private static SyntaxTokenList Keep(SyntaxTokenList modifiers, Func<SyntaxToken, bool> keep) =>
        SyntaxFactory.TokenList(modifiers.Where(keep).Select(m => m.WithLeadingTrivia().WithTrailingTrivia(SyntaxFactory.Space)));

    private void AddUsing(string directive) => AddOnce(_usings, directive);

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item)) list.Add(item);
    }

    private static string Comment(string markdown) =>
        string.Concat(markdown.TrimEnd().Replace("\r\n", "\n").Split('\n').Select(l => l.Length == 0 ? "//\n" : $"// {l}\n"));

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private string Relative(string path) => Path.GetRelativePath(_appFolder, Path.GetFullPath(path)).Replace('\\', '/');

    private string RelativeToRoot(string path) =>
        _settings.RepositoryRoot is { } root ? Path.GetRelativePath(root, Path.GetFullPath(path)).Replace('\\', '/') : Path.GetFullPath(path);

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
