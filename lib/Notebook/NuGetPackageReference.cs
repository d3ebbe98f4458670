namespace Course.Notebook;

/// <summary>A package named by <c>#r "nuget: Name, Version"</c> (Version null: the latest).</summary>
public sealed record NuGetPackageReference(string Name, string? Version)
{
    public override string ToString() => Version is null ? Name : $"{Name} {Version}";
}
