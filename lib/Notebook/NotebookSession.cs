using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Course.Display;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebook;

/// <summary>
/// One notebook's C# state: cells run in order in one Roslyn script state, with the defaults of the .NET Interactive
/// C# kernel (six default imports, display/HTML, last-expression display, console capture per cell).
/// A Jupyter kernel creates one session and calls <see cref="ExecuteAsync"/> per execute_request, forwarding
/// each <see cref="CellOutput"/> as the matching iopub message. Cells run one at a time.
/// </summary>
public sealed class NotebookSession : IDisplayTarget, IDisposable
{
    /// <summary>The imports every cell starts with (those of the .NET Interactive C# kernel).</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly NotebookGlobals _globals;
    private readonly NuGetRestorer _nuget;
    private readonly ShadowCopyFolder _shadowCopies;
    private readonly CellOutputWriter _output;
    private readonly CellErrorFormatter _errors;
    private readonly List<string> _nugetSources = new();
    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private CancellationToken _cellToken;
    private bool _disposed;

    public NotebookSession(SessionOptions? options = null)
    {
        Options = options ?? new SessionOptions();
        WorkingDirectory = Path.GetFullPath(Options.WorkingDirectory);
        if (!Directory.Exists(WorkingDirectory))
            throw new DirectoryNotFoundException($"the notebook folder {WorkingDirectory} does not exist.");
        _shadowCopies = new ShadowCopyFolder(Options.ShadowCopyDirectory);
        _output = new CellOutputWriter(Options.EmitAssets);
        _errors = new CellErrorFormatter(WorkingDirectory, Options.SourceName);
        _nuget = new NuGetRestorer(_shadowCopies.FullName);
        _globals = new NotebookGlobals(this);
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithImports(DefaultImports)
            .WithReferences(DefaultReferences())
            .WithMetadataResolver(new ShadowCopyResolver(WorkingDirectory, _shadowCopies.FullName))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(WorkingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(true);
        ConsoleRouter.Install();
        AssemblyUnification.Install();
    }

    public SessionOptions Options { get; }
    public string WorkingDirectory { get; }

    /// <summary>How many cells have been submitted (the Jupyter execution_count of the last one).</summary>
    public int ExecutionCount { get; private set; }

    /// <summary>Signalled when the running cell is interrupted (library loops such as Progress check it).</summary>
    public CancellationToken Cancellation => _cellToken;

    /// <summary>
    /// Runs one cell. Outputs stream to <paramref name="output"/> as they happen (stdout/stderr text, display_data,
    /// update_display_data, execute_result, error), always from the calling flow or the cell's own threads.
    /// A failing cell yields one <see cref="ErrorOutput"/> and a result with status Error; the session stays usable
    /// and keeps the state of the cells that succeeded. Cancelling the token interrupts cooperative code (awaits, Progress).
    /// </summary>
    public async Task<CellResult> ExecuteAsync(string code, Action<CellOutput> output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        try { await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException)
        {
            var notRun = new ErrorOutput(typeof(OperationCanceledException).FullName!, "interrupted before the cell started", ["interrupted before the cell started"], null);
            output(notRun);
            return new CellResult(ExecutionCount, CellStatus.Cancelled, notRun, clock.Elapsed);
        }
        int count = ++ExecutionCount;
        _output.Redirect(output);
        _cellToken = cancellationToken;
        try
        {
            Directory.SetCurrentDirectory(WorkingDirectory);
            ErrorOutput? error;
            using (Output.Use(this))
            using (ConsoleRouter.Capture(_output.WriteStream))
            {
                error = await RunCellAsync(code, count, cancellationToken).ConfigureAwait(false);
            }
            _output.Flush();
            if (error is not null) _output.Emit(error);
            var status = error is null ? CellStatus.Ok
                : cancellationToken.IsCancellationRequested && error.Name.EndsWith("OperationCanceledException", StringComparison.Ordinal) ? CellStatus.Cancelled
                : CellStatus.Error;
            return new CellResult(count, status, error, clock.Elapsed);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Whether <paramref name="code"/> is a complete submission or needs more lines (a Jupyter is_complete_request:
    /// "complete" or "incomplete").
    /// </summary>
    public static bool IsComplete(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var tree = CSharpSyntaxTree.ParseText(CellPreprocessor.Process(code).Code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree);
    }

    /// <summary>
    /// The compilation <paramref name="code"/> would get as the next cell, with every earlier cell's variables, usings
    /// and references in scope; nothing runs. For a kernel's completions and inspection; safe to call from another
    /// thread while a cell runs. The code's syntax tree is the compilation's last one.
    /// </summary>
    public Compilation CompileForAnalysis(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var state = _state;
        var options = _options;
        var script = state is null ? CSharpScript.Create(code, options, typeof(NotebookGlobals)) : state.Script.ContinueWith(code, options);
        return script.GetCompilation();
    }

    /// <summary>Shows a value as a new display_data output of the running cell and returns its update handle.</summary>
    public DisplayHandle Display(object? value, params string[] mimeTypes)
    {
        var bundle = Formatter.Format(value, mimeTypes ?? []);
        var id = Guid.NewGuid().ToString("N");
        _output.Emit(new DisplayDataOutput(bundle, id));
        return new DisplayHandle(id, (v, m) => _output.Emit(new UpdateDisplayDataOutput(Formatter.Format(v, m ?? []), id)));
    }

    private async Task<ErrorOutput?> RunCellAsync(string code, int count, CancellationToken ct)
    {
        var cellPath = Path.Combine(WorkingDirectory, $"{Options.SourceName}.cell{count}.csx");
        CellPreprocessor.Result pre;
        try
        {
            pre = CellPreprocessor.Process(code);
            _nugetSources.AddRange(pre.Sources.Where(s => !_nugetSources.Contains(s)));
            if (pre.Packages.Count > 0)
            {
                var assemblies = _nuget.Restore(pre.Packages, _nugetSources, ct);
                var fresh = assemblies.Where(a => ShadowCopyResolver.HostAssembly(Path.GetFileNameWithoutExtension(a)) is null);
                _options = _options.AddReferences(fresh.Select(a => MetadataReference.CreateFromFile(a)));
            }
        }
        catch (NotebookDirectiveException e) { return new ErrorOutput("DirectiveError", e.Message, [$"DirectiveError: {e.Message}"], e.Line); }
        catch (OperationCanceledException e) { return _errors.RuntimeError(e, cellPath, count); }
        catch (InvalidOperationException e) { return new ErrorOutput("NuGetRestoreError", e.Message, [$"NuGetRestoreError: {e.Message}"], null); }

        var options = _options.WithFilePath(cellPath);
        Script<object> script = _state is null
            ? CSharpScript.Create(pre.Code, options, typeof(NotebookGlobals))
            : _state.Script.ContinueWith(pre.Code, options);

        ImmutableArray<Diagnostic> diagnostics;
        try { diagnostics = script.Compile(ct); }
        catch (CompilationErrorException e) { diagnostics = e.Diagnostics; }
        catch (OperationCanceledException e) { return _errors.RuntimeError(e, cellPath, count); }
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) return _errors.CompileError(errors, cellPath, count);

        bool hasResult = HasSubmissionResult(script.GetCompilation(), cellPath);
        ScriptState<object> state;
        try
        {
            state = _state is null
                ? await script.RunAsync(_globals, _ => true, ct).ConfigureAwait(false)
                : await script.RunFromAsync(_state, _ => true, ct).ConfigureAwait(false);
        }
        catch (CompilationErrorException e) { return _errors.CompileError(e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), cellPath, count); }
        catch (Exception e) { return _errors.RuntimeError(e, cellPath, count); }
        _state = state;
        if (state.Exception is { } exception) return _errors.RuntimeError(exception, cellPath, count);
        if (hasResult)
        {
            MimeBundle bundle;
            try { bundle = Formatter.Format(state.ReturnValue); }
            catch (Exception e) { return _errors.RuntimeError(e, cellPath, count); }
            _output.Emit(new ExecuteResultOutput(bundle, count));
        }
        return null;
    }

    /// <summary>
    /// The .NET Interactive rule: a cell shows a result when its last statement is an expression without a
    /// semicolon whose type is not void.
    /// </summary>
    private static bool HasSubmissionResult(Compilation compilation, string cellPath)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == cellPath) ?? compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not CompilationUnitSyntax root) return false;
        if (root.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement } || !statement.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is null || type.SpecialType != SpecialType.System_Void;
    }

    private static IEnumerable<MetadataReference> DefaultReferences()
    {
        // the framework (so that System.Text.Json, System.Net.Http, ... need no #r), the engine and the display library
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var path in trusted)
        {
            if (Path.GetDirectoryName(path) != frameworkDir) continue;
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib" or "Microsoft.CSharp" or "Microsoft.Win32.Primitives")
            {
                if (name.StartsWith("System.Private.", StringComparison.Ordinal) && name != "System.Private.CoreLib") continue;
                yield return MetadataReference.CreateFromFile(path);
            }
        }
        yield return MetadataReference.CreateFromFile(typeof(NotebookSession).Assembly.Location);
        yield return MetadataReference.CreateFromFile(typeof(Chart).Assembly.Location);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _shadowCopies.Dispose();
    }
}
