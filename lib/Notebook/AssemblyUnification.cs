using System.Reflection;
using System.Runtime.Loader;

namespace Course.Notebook;

/// <summary>
/// Makes a library that cells reference load once, whatever version of it its dependents were built against, as .NET
/// does for an application. Roslyn's script loader loads each referenced assembly into a load context of its own and,
/// when a dependency asks for a lower version of an assembly it has already loaded (Giraffe.ViewEngine, built against
/// an older FSharp.Core than Plotly.NET), loads the file a second time: the two copies' types differ and calls between
/// them fail with MissingMethodException. Before that loader is asked, the default context raises
/// <see cref="AssemblyLoadContext.Resolving"/>; this handler answers with the highest version already loaded that
/// satisfies the request (same name and public key token, version at least the one asked for).
/// </summary>
internal static class AssemblyUnification
{
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (_, name) => LoadedMatch(name);
    }

    /// <summary>The highest loaded version of the assembly that satisfies <paramref name="requested"/>, or null.</summary>
    internal static Assembly? LoadedMatch(AssemblyName requested)
    {
        if (string.IsNullOrEmpty(requested.Name)) return null;
        var token = requested.GetPublicKeyToken();
        Assembly? best = null;
        Version? bestVersion = null;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            var name = assembly.GetName();
            if (!string.Equals(name.Name, requested.Name, StringComparison.OrdinalIgnoreCase)) continue;
            if (requested.Version is { } wanted && (name.Version is null || name.Version < wanted)) continue;
            if (token is { Length: > 0 } && !token.AsSpan().SequenceEqual(name.GetPublicKeyToken() ?? [])) continue;
            if (best is null || name.Version > bestVersion) { best = assembly; bestVersion = name.Version; }
        }
        return best;
    }
}
