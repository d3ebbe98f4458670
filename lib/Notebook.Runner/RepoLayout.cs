namespace Course.Notebook.Runner;

/// <summary>Where things are in the repository: notebooks/, artifacts/notebooks/, artifacts/book/, artifacts/apps/, artifacts/results/.</summary>
public sealed record RepoLayout(string Root)
{
    public string Notebooks => Path.Combine(Root, "notebooks");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public string ExecutedNotebooks => Path.Combine(Artifacts, "notebooks");
    public string Book => Path.Combine(Artifacts, "book");
    public string Apps => Path.Combine(Artifacts, "apps");
    public string NpmModules => Path.Combine(Artifacts, "npm", "node_modules");

    /// <summary>The checkout $COURSE_ROOT names (see <see cref="CourseEnvironment"/>).</summary>
    public static RepoLayout FromEnvironment() => new(Path.GetFullPath(CourseEnvironment.RequiredDirectory(CourseEnvironment.Root)));

    /// <summary>Where the executed copy of a notebook goes: artifacts/notebooks/ mirroring its place under notebooks/.</summary>
    public string ExecutedCopyOf(string notebook)
    {
        var full = Path.GetFullPath(notebook);
        var rel = Path.GetRelativePath(Notebooks, full);
        if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel)) rel = Path.GetFileName(full);
        return Path.Combine(ExecutedNotebooks, rel);
    }
}
