namespace Course.Notebook;

/// <summary>
/// The folder a session shadow-copies its <c>#r</c>'d assemblies and NuGet packages into. All sessions of a user share
/// one parent (a folder another user created in /tmp is not writable) holding one child per session named
/// "&lt;process id&gt;-&lt;random&gt;". A session's own folder is deleted when it ends; the folders of sessions whose
/// process was killed are deleted by the next session.
/// </summary>
public sealed class ShadowCopyFolder : IDisposable
{
    /// <summary>The folder holding every session's shadow copies for this user.</summary>
    public static string Parent { get; } = Path.Combine(Path.GetTempPath(), $"course-notebook-{Environment.UserName}");

    private readonly bool _owned;

    /// <summary>
    /// <paramref name="given"/> when set (the caller owns it and it is kept), else a fresh folder under
    /// <see cref="Parent"/> that <see cref="Dispose"/> deletes.
    /// </summary>
    internal ShadowCopyFolder(string? given)
    {
        _owned = given is null;
        if (_owned) DeleteFoldersOfEndedProcesses();
        FullName = given ?? Path.Combine(Parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(FullName);
    }

    public string FullName { get; }

    /// <summary>
    /// A session whose process was killed (a kernel stopped with SIGKILL, a cancelled test run) cannot delete its
    /// copies. A folder whose process no longer runs is removed; one whose id was reused by another process is left alone.
    /// </summary>
    private static void DeleteFoldersOfEndedProcesses()
    {
        if (!Directory.Exists(Parent)) return;
        foreach (var dir in Directory.EnumerateDirectories(Parent))
        {
            var name = Path.GetFileName(dir);
            int dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), out int pid) || pid == Environment.ProcessId) continue;
            if (!IsRunning(pid)) TryDelete(dir);
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

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        if (_owned) TryDelete(FullName);
    }
}
