using Course.Display;
using Course.Notebook;

namespace Notebook.Tests;

/// <summary>A session in a fresh temporary notebook folder, with helpers that run a cell and collect its outputs.</summary>
internal sealed class SessionHarness : IDisposable
{
    /// <param name="emitAssets">Whether the session emits page asset loaders (<see cref="SessionOptions.EmitAssets"/>).</param>
    public SessionHarness(bool emitAssets = true)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"course-notebook-tests-{Environment.UserName}", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        Session = new NotebookSession(new SessionOptions { WorkingDirectory = Folder, SourceName = "test", EmitAssets = emitAssets });
    }

    public string Folder { get; }
    public NotebookSession Session { get; }

    public (CellResult Result, List<CellOutput> Outputs) Run(string code, CancellationToken token = default)
    {
        var outputs = new List<CellOutput>();
        var result = Session.ExecuteAsync(code, o => { lock (outputs) outputs.Add(o); }, token).GetAwaiter().GetResult();
        return (result, outputs);
    }

    /// <summary>Runs a cell that must succeed and returns its outputs.</summary>
    public List<CellOutput> Ok(string code)
    {
        var (result, outputs) = Run(code);
        Assert.True(result.Succeeded, $"cell failed: {result.Error}\n{string.Join("\n", result.Error?.Traceback ?? [])}");
        return outputs;
    }

    /// <summary>Runs a cell that must fail and returns its error.</summary>
    public ErrorOutput Fails(string code)
    {
        var (result, outputs) = Run(code);
        Assert.False(result.Succeeded, "the cell was expected to fail");
        Assert.Equal(CellStatus.Error, result.Status);
        Assert.Same(result.Error, outputs.OfType<ErrorOutput>().Single());
        return result.Error!;
    }

    public static string Text(MimeBundle bundle) => bundle.GetText(MimeTypes.PlainText) ?? "";

    public static string ResultText(List<CellOutput> outputs) => Text(outputs.OfType<ExecuteResultOutput>().Single().Bundle);

    public static string Stdout(List<CellOutput> outputs) =>
        string.Concat(outputs.OfType<StreamOutput>().Where(s => s.Name == "stdout").Select(s => s.Text));

    public void Dispose()
    {
        Session.Dispose();
        Directory.SetCurrentDirectory(Path.GetTempPath()); // the folder is deleted; the process must not stay in it
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
