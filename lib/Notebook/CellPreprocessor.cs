using System.Text.RegularExpressions;

namespace Course.Notebook;

/// <summary>
/// Handles what Roslyn scripting does not understand before a cell is compiled: <c>#!csharp</c> (accepted and dropped),
/// <c>#r "nuget: ..."</c> and <c>#i "nuget: source"</c> (collected for a restore), any other <c>#!magic</c> (rejected, naming it).
/// Handled lines become empty lines, so line numbers in errors still match the cell.
/// </summary>
public static partial class CellPreprocessor
{
    public sealed record Result(string Code, IReadOnlyList<NuGetPackageReference> Packages, IReadOnlyList<string> Sources);

    private static readonly HashSet<string> CSharpSelectors = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "cs" };

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"\s]+)\s*(,\s*(?<version>[^"]*?)\s*)?"\s*(//.*)?$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#i\s+"(nuget:\s*)?(?<source>[^"]+?)\s*"\s*(//.*)?$""")]
    private static partial Regex SourceDirective();

    [GeneratedRegex("""^\s*#!(?<magic>\S*)""")]
    private static partial Regex Magic();

    public static Result Process(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var lines = code.Replace("\r\n", "\n").Split('\n');
        var packages = new List<NuGetPackageReference>();
        var sources = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (Magic().Match(line) is { Success: true } magic)
            {
                var name = magic.Groups["magic"].Value;
                if (!CSharpSelectors.Contains(name))
                    throw new NotebookDirectiveException(
                        $"the magic command '#!{name}' (line {i + 1}) is not supported: this engine runs C# only and understands #!csharp, #r, #r \"nuget: ...\", #i \"nuget: ...\" and #load.", i + 1);
                lines[i] = "";
            }
            else if (NuGetReference().Match(line) is { Success: true } nuget)
            {
                var version = nuget.Groups["version"].Success && nuget.Groups["version"].Value.Length > 0 ? nuget.Groups["version"].Value : null;
                packages.Add(new NuGetPackageReference(nuget.Groups["name"].Value, version));
                lines[i] = "";
            }
            else if (line.TrimStart().StartsWith("#r \"nuget:", StringComparison.OrdinalIgnoreCase) || line.TrimStart().StartsWith("#r\"nuget:", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotebookDirectiveException($"line {i + 1}: expected #r \"nuget: Name, Version\", got {line.Trim()}", i + 1);
            }
            else if (SourceDirective().Match(line) is { Success: true } source)
            {
                sources.Add(source.Groups["source"].Value);
                lines[i] = "";
            }
        }
        return new Result(string.Join("\n", lines), packages, sources);
    }
}
