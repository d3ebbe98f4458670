namespace Kernel.Tests;

/// <summary>A test that needs Debian's Python with the modules named: skipped, saying which is missing, without them.</summary>
public sealed class DebianPythonFactAttribute : FactAttribute
{
    public DebianPythonFactAttribute(params string[] modules) => Skip = DebianFacts.MissingPython(modules);
}

/// <inheritdoc cref="DebianPythonFactAttribute"/>
public sealed class DebianPythonTheoryAttribute : TheoryAttribute
{
    public DebianPythonTheoryAttribute(params string[] modules) => Skip = DebianFacts.MissingPython(modules);
}

/// <summary>
/// A test that asks this machine's apt about the dev container's Debian release: skipped, saying so, where this machine
/// runs another release (its apt would answer for that one) or has no apt-cache.
/// </summary>
public sealed class SameDebianReleaseFactAttribute : FactAttribute
{
    public SameDebianReleaseFactAttribute()
    {
        if (!File.Exists(AptPolicy.AptCache)) { Skip = $"needs Debian's {AptPolicy.AptCache}; this machine has none"; return; }
        string wanted;
        try { wanted = DevContainer.Load().ImageDebianCodename; }
        catch (Exception) { return; } // the test itself reports what is wrong with the configuration
        var here = DebianFacts.MachineCodename();
        if (here != wanted) Skip = $"the dev container's image is Debian {wanted}, this machine runs {here ?? "no Debian release named in /etc/os-release"}; its apt cannot say what {wanted} has";
    }
}

internal static class DebianFacts
{
    /// <summary>Why Debian's Python cannot run the test (a sentence), or null when it can.</summary>
    public static string? MissingPython(string[] modules)
    {
        if (!File.Exists(Repo.DebianPython)) return $"needs {Repo.DebianPython}; './course setup' installs it";
        if (modules.Length == 0) return null;
        var run = ChildProcess.Run(Repo.DebianPython, ["-c", string.Join("; ", modules.Select(m => $"import {m}"))], TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { ["PYTHONPATH"] = null, ["PYTHONHOME"] = null, ["PYTHONNOUSERSITE"] = "1" });
        return run.ExitCode == 0 ? null
            : $"needs the Python modules {string.Join(", ", modules)} in {Repo.DebianPython} (python3-{string.Join(", python3-", modules)}); {run.Stderr.Trim().Split('\n').Last()}";
    }

    /// <summary>VERSION_CODENAME in /etc/os-release, or null.</summary>
    public static string? MachineCodename()
    {
        const string file = "/etc/os-release";
        if (!File.Exists(file)) return null;
        return File.ReadLines(file).Where(l => l.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal))
            .Select(l => l["VERSION_CODENAME=".Length..].Trim('"')).FirstOrDefault(v => v.Length > 0);
    }
}
