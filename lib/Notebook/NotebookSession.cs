using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
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

    /// <summary>Output metadata key marking the output that loads a page asset such as plotly.js.</summary>
    public const string AssetMetadataKey = "course_asset";

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly object _emitGate = new();
    private readonly HashSet<string> _loadedAssets = new(StringComparer.Ordinal);
    private readonly NotebookGlobals _globals;
    private readonly NuGetRestorer _nuget;
    private readonly string _shadowRoot;
    private readonly bool _ownsShadowRoot;
    private readonly List<string> _nugetSources = new();
    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private Action<CellOutput> _sink = _ => { };
    private CancellationToken _cellToken;
    private string? _pendingStream;
    private readonly StringBuilder _pendingText = new();
    private bool _disposed;

    public NotebookSession(SessionOptions? options = null)
    {
        Options = options ?? new SessionOptions();
        WorkingDirectory = Path.GetFullPath(Options.WorkingDirectory);
        if (!Directory.Exists(WorkingDirectory))
            throw new DirectoryNotFoundException($"the notebook folder {WorkingDirectory} does not exist.");
        _ownsShadowRoot = Options.ShadowCopyDirectory is null;
        if (_ownsShadowRoot) DeleteFoldersOfEndedProcesses();
        _shadowRoot = Options.ShadowCopyDirectory ?? Path.Combine(ShadowCopyParent, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(_shadowRoot);
        _nuget = new NuGetRestorer(_shadowRoot);
        _globals = new NotebookGlobals(this);
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithImports(DefaultImports)
            .WithReferences(DefaultReferences())
            .WithMetadataResolver(new ShadowCopyResolver(WorkingDirectory, _shadowRoot))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(WorkingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(true);
        ConsoleRouter.Install();
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
        lock (_emitGate) { _sink = output; _cellToken = cancellationToken; }
        try
        {
            Directory.SetCurrentDirectory(WorkingDirectory);
            ErrorOutput? error;
            using (Output.Use(this))
            using (ConsoleRouter.Capture(WriteStream))
            {
                error = await RunCellAsync(code, count, cancellationToken).ConfigureAwait(false);
            }
            FlushStream();
            if (error is not null) Emit(error);
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
        Emit(new DisplayDataOutput(bundle, id));
        return new DisplayHandle(id, (v, m) => Emit(new UpdateDisplayDataOutput(Formatter.Format(v, m ?? []), id)));
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
        catch (OperationCanceledException e) { return RuntimeError(e, cellPath, count); }
        catch (InvalidOperationException e) { return new ErrorOutput("NuGetRestoreError", e.Message, [$"NuGetRestoreError: {e.Message}"], null); }

        var options = _options.WithFilePath(cellPath);
        Script<object> script = _state is null
            ? CSharpScript.Create(pre.Code, options, typeof(NotebookGlobals))
            : _state.Script.ContinueWith(pre.Code, options);

        ImmutableArray<Diagnostic> diagnostics;
        try { diagnostics = script.Compile(ct); }
        catch (CompilationErrorException e) { diagnostics = e.Diagnostics; }
        catch (OperationCanceledException e) { return RuntimeError(e, cellPath, count); }
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) return CompileError(errors, cellPath, count);

        bool hasResult = HasSubmissionResult(script.GetCompilation(), cellPath);
        ScriptState<object> state;
        try
        {
            state = _state is null
                ? await script.RunAsync(_globals, _ => true, ct).ConfigureAwait(false)
                : await script.RunFromAsync(_state, _ => true, ct).ConfigureAwait(false);
        }
        catch (CompilationErrorException e) { return CompileError(e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), cellPath, count); }
        catch (Exception e) { return RuntimeError(e, cellPath, count); }
        _state = state;
        if (state.Exception is { } exception) return RuntimeError(exception, cellPath, count);
        if (hasResult)
        {
            MimeBundle bundle;
            try { bundle = Formatter.Format(state.ReturnValue); }
            catch (Exception e) { return RuntimeError(e, cellPath, count); }
            Emit(new ExecuteResultOutput(bundle, count));
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

    private ErrorOutput CompileError(IReadOnlyList<Diagnostic> errors, string cellPath, int count)
    {
        int? line = null;
        var lines = new List<string>();
        foreach (var d in errors)
        {
            var span = d.Location.GetMappedLineSpan();
            string where;
            if (span.Path == cellPath)
            {
                line ??= span.StartLinePosition.Line + 1;
                where = $"line {span.StartLinePosition.Line + 1}, column {span.StartLinePosition.Character + 1}";
            }
            else where = d.Location.IsInSource ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})" : "";
            lines.Add($"{where}: {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}".TrimStart(' ', ':'));
        }
        var message = lines[0] + (lines.Count > 1 ? $" (and {lines.Count - 1} more error{(lines.Count > 2 ? "s" : "")})" : "");
        return new ErrorOutput("CompilationError", message, [$"CompilationError: the cell (In [{count}]) does not compile:", .. lines.Select(l => "  " + l)], line);
    }

    private ErrorOutput RuntimeError(Exception exception, string cellPath, int count)
    {
        var e = Unwrap(exception);
        var frames = new StackTrace(e, true).GetFrames();
        int? line = frames.FirstOrDefault(f => f.GetFileName() == cellPath)?.GetFileLineNumber();
        if (line == 0) line = null;
        var name = e.GetType().FullName ?? e.GetType().Name;
        var traceback = new List<string> { $"{name}: {e.Message}" };
        if (line is { } l) traceback.Add($"   at line {l} of this cell (In [{count}])");
        foreach (var raw in (e.StackTrace ?? "").Split('\n'))
        {
            var text = raw.TrimEnd('\r');
            if (text.Length == 0 || text.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) ||
                text.Contains("System.Runtime.CompilerServices", StringComparison.Ordinal) || text.Contains("--- End of stack trace", StringComparison.Ordinal))
                continue;
            var at = text.IndexOf(" in " + WorkingDirectory, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = text[(at + 4 + WorkingDirectory.Length)..].TrimStart('/');
                var prefix = Options.SourceName + ".cell";
                if (rest.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var n = rest[prefix.Length..rest.IndexOf(".csx", StringComparison.Ordinal)];
                    var ln = rest[(rest.LastIndexOf(":line ", StringComparison.Ordinal) + 6)..];
                    text = text[..at] + $" in In [{n}], line {ln}";
                }
            }
            text = System.Text.RegularExpressions.Regex.Replace(text, @"Submission#\d+\.", "");
            traceback.Add(text.Replace("<<Initialize>>d__0.MoveNext()", "<cell>"));
        }
        if (e.InnerException is { } inner) traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
        return new ErrorOutput(name, e.Message, traceback, line);
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case TargetInvocationException { InnerException: { } i }: e = i; continue;
                case AggregateException { InnerExceptions.Count: 1 } a: e = a.InnerExceptions[0]; continue;
                default: return e;
            }
        }
    }

    private void WriteStream(string name, string text)
    {
        lock (_emitGate)
        {
            if (_pendingStream is not null && _pendingStream != name) FlushStreamLocked();
            _pendingStream = name;
            _pendingText.Append(text);
            // send complete lines as they come (a kernel shows them live); keep a partial line for later
            int lastNewline = -1;
            for (int i = _pendingText.Length - 1; i >= 0; i--) if (_pendingText[i] == '\n') { lastNewline = i; break; }
            if (lastNewline >= 0)
            {
                var complete = _pendingText.ToString(0, lastNewline + 1);
                _pendingText.Remove(0, lastNewline + 1);
                _sink(new StreamOutput(name, complete));
            }
        }
    }

    private void FlushStream()
    {
        lock (_emitGate) FlushStreamLocked();
    }

    private void FlushStreamLocked()
    {
        if (_pendingStream is not null && _pendingText.Length > 0) _sink(new StreamOutput(_pendingStream, _pendingText.ToString()));
        _pendingText.Clear();
        _pendingStream = null;
    }

    private void Emit(CellOutput output)
    {
        lock (_emitGate)
        {
            FlushStreamLocked();
            var bundle = output switch
            {
                DisplayDataOutput d => d.Bundle,
                UpdateDisplayDataOutput u => u.Bundle,
                ExecuteResultOutput r => r.Bundle,
                _ => null
            };
            if (bundle is not null && Options.EmitAssets)
                foreach (var asset in bundle.Requires)
                    if (_loadedAssets.Add(asset)) _sink(AssetOutput(asset));
            _sink(output);
        }
    }

    private static DisplayDataOutput AssetOutput(string asset)
    {
        var html = asset switch
        {
            PlotlyHtml.Asset => PlotlyHtml.LoaderHtml(),
            _ => throw new InvalidOperationException($"unknown page asset '{asset}'.")
        };
        var bundle = MimeBundle.Html(html);
        bundle.Metadata[AssetMetadataKey] = asset;
        return new DisplayDataOutput(bundle, null);
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

    /// <summary>
    /// Where sessions shadow-copy their assemblies: one folder per user (a folder another user created in /tmp is not
    /// writable), holding one child per session named "&lt;process id&gt;-&lt;random&gt;".
    /// </summary>
    public static string ShadowCopyParent { get; } = Path.Combine(Path.GetTempPath(), $"course-notebook-{Environment.UserName}");

    /// <summary>
    /// A session whose process was killed (a kernel stopped with SIGKILL, a cancelled test run) cannot delete its
    /// copies; the next session does. A folder whose process no longer runs is removed; one whose id was reused by
    /// another process is left alone.
    /// </summary>
    private static void DeleteFoldersOfEndedProcesses()
    {
        if (!Directory.Exists(ShadowCopyParent)) return;
        foreach (var dir in Directory.EnumerateDirectories(ShadowCopyParent))
        {
            var name = Path.GetFileName(dir);
            int dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), out int pid) || pid == Environment.ProcessId) continue;
            if (IsRunning(pid)) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_ownsShadowRoot)
        {
            try { Directory.Delete(_shadowRoot, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
