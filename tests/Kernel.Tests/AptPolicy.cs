using System.Text.RegularExpressions;

namespace Kernel.Tests;

/// <summary>
/// Where apt would install a package from: `apt-cache policy`'s candidate version and the archives that carry it
/// ("bookworm/main", "bookworm-security/main"). A package apt does not know has no entry; one that is only installed
/// (from a .deb, say) has its candidate in /var/lib/dpkg/status alone, that is in no archive.
/// </summary>
public static partial class AptPolicy
{
    public const string AptCache = "/usr/bin/apt-cache";

    public sealed record Candidate(string Package, string? Version, IReadOnlyList<string> Archives);

    public static IReadOnlyDictionary<string, Candidate> Query(IReadOnlyList<string> packages)
    {
        var run = ChildProcess.Run(AptCache, ["policy", .. packages], TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { ["LC_ALL"] = "C", ["LANG"] = "C", ["LANGUAGE"] = null });
        if (run.ExitCode != 0) throw new InvalidOperationException($"apt-cache policy failed:\n{run}");
        return Parse(run.Stdout);
    }

    /// <summary>Reads `apt-cache policy` output (LC_ALL=C) for any number of packages.</summary>
    public static IReadOnlyDictionary<string, Candidate> Parse(string output)
    {
        var result = new Dictionary<string, Candidate>();
        string? package = null, candidate = null, version = null;
        var archives = new List<string>();
        void Flush()
        {
            if (package is not null) result[package] = new Candidate(package, candidate, archives.ToList());
            archives.Clear(); candidate = null; version = null;
        }
        foreach (var line in output.Split('\n'))
        {
            Match m;
            if ((m = PackageLine().Match(line)).Success) { Flush(); package = m.Groups[1].Value; }
            else if ((m = CandidateLine().Match(line)).Success) candidate = m.Groups[1].Value == "(none)" ? null : m.Groups[1].Value;
            else if ((m = VersionLine().Match(line)).Success) version = m.Groups[1].Value;
            else if ((m = SourceLine().Match(line)).Success && version is not null && version == candidate) archives.Add(m.Groups[1].Value);
        }
        Flush();
        return result;
    }

    [GeneratedRegex(@"^(\S+):\s*$")]
    private static partial Regex PackageLine();

    [GeneratedRegex(@"^  Candidate: (\S+)\s*$")]
    private static partial Regex CandidateLine();

    // " *** 1.13.1+dfsg-4 500" or "     1.13.1+dfsg-3 500"
    [GeneratedRegex(@"^ (?:\*\*\*|   ) (\S+) -?\d+\s*$")]
    private static partial Regex VersionLine();

    // "        500 http://deb.debian.org/debian bookworm/main amd64 Packages"
    [GeneratedRegex(@"^\s+-?\d+ \S+ (\S+) \S+ Packages\s*$")]
    private static partial Regex SourceLine();
}
