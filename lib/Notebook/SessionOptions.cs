namespace Course.Notebook;

/// <summary>Settings of one notebook session.</summary>
public sealed record SessionOptions
{
    /// <summary>The notebook's folder: the current directory while cells run, the base of relative #r and #load (set it; the default is the program's folder).</summary>
    public string WorkingDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>A name for the code in error messages and stack traces (usually the notebook file name).</summary>
    public string SourceName { get; init; } = "notebook";

    /// <summary>Where shadow copies of #r'd assemblies go (default: a fresh folder under the temp directory).</summary>
    public string? ShadowCopyDirectory { get; init; }

    /// <summary>Emit the loaders of page assets (such as a chart library's script) into the outputs before the first output needing them (false when the front end provides them).</summary>
    public bool EmitAssets { get; init; } = true;
}
