namespace Course.Notebook.Runner;

/// <summary>Where things are in the repository: notebooks/, artifacts/notebooks/, artifacts/book/, artifacts/results/.</summary>
public sealed record RepoLayout(string Root)
{
    public string Notebooks => Path.Combine(Root, "notebooks");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public string ExecutedNotebooks => Path.Combine(Artifacts, "notebooks");
    public string Book => Path.Combine(Artifacts, "book");
    public string Results => Path.Combine(Artifacts, "results");
    public string NpmModules => Path.Combine(Artifacts, "npm", "node_modules");

    /// <summary>$COURSE_ROOT, else the first folder above the current one (then above this program) holding notebooks/ and Course.sln.</summary>
    public static RepoLayout Find()
    {
        var env = Environment.GetEnvironmentVariable("COURSE_ROOT");
        if (!string.IsNullOrEmpty(env))
            return Directory.Exists(env) ? new RepoLayout(Path.GetFullPath(env)) : throw new DirectoryNotFoundException($"COURSE_ROOT={env} does not exist.");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Course.sln")) && Directory.Exists(Path.Combine(dir.FullName, "notebooks")))
                    return new RepoLayout(dir.FullName);
        throw new DirectoryNotFoundException($"could not find the course repository (a folder with Course.sln and notebooks/) above {Directory.GetCurrentDirectory()}; run from inside it or set COURSE_ROOT.");
    }

    /// <summary>Where the executed copy of a notebook goes: artifacts/notebooks/ mirroring its place under notebooks/.</summary>
    public string ExecutedCopyOf(string notebook)
    {
        var full = Path.GetFullPath(notebook);
        var rel = Path.GetRelativePath(Notebooks, full);
        if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel)) rel = Path.GetFileName(full);
        return Path.Combine(ExecutedNotebooks, rel);
    }
}
