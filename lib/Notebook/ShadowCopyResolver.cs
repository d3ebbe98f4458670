using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebook;

/// <summary>
/// Resolves <c>#r</c> like Roslyn does (relative to the notebook's folder), then references a shadow copy of the
/// assembly's folder instead of the file itself, so that rebuilding a library while a session uses it is never blocked
/// and never corrupts the running session. Assemblies the host already has (Course.Display, Course.Notebook, the
/// framework) resolve to the host's copy, so types such as Chart are the same type in cells and in the engine.
/// </summary>
internal sealed class ShadowCopyResolver : MetadataReferenceResolver
{
    private readonly ScriptMetadataResolver _inner;
    private readonly string _shadowRoot;
    private readonly Dictionary<string, string> _copies = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private const int MaxSiblings = 64;

    public ShadowCopyResolver(string baseDirectory, string shadowRoot)
    {
        _inner = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory);
        _shadowRoot = shadowRoot;
    }

    public override bool ResolveMissingAssemblies => _inner.ResolveMissingAssemblies;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        _inner.ResolveMissingAssembly(definition, referenceIdentity);

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        var resolved = _inner.ResolveReference(reference, baseFilePath, properties);
        if (resolved.IsDefaultOrEmpty) return resolved;
        var builder = ImmutableArray.CreateBuilder<PortableExecutableReference>(resolved.Length);
        foreach (var r in resolved)
        {
            if (r.FilePath is not { } path || !File.Exists(path) || IsFramework(path)) { builder.Add(r); continue; }
            var name = Path.GetFileNameWithoutExtension(path);
            if (HostAssembly(name) is { } host) { builder.Add(MetadataReference.CreateFromFile(host.Location, properties)); continue; }
            builder.Add(MetadataReference.CreateFromFile(ShadowCopy(path), properties));
        }
        return builder.MoveToImmutable();
    }

    private string ShadowCopy(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        lock (_gate)
        {
            if (!_copies.TryGetValue(dir, out var copy))
            {
                copy = Path.Combine(_shadowRoot, "r" + _copies.Count);
                var temp = copy + ".tmp";
                Directory.CreateDirectory(temp);
                // the referenced assembly's siblings come along (its dependencies), unless the folder is a large shared one
                var siblings = Directory.GetFiles(dir, "*.dll");
                var files = siblings.Length <= MaxSiblings ? siblings : [full];
                foreach (var file in files)
                {
                    if (file != full && HostAssembly(Path.GetFileNameWithoutExtension(file)) is not null) continue;
                    File.Copy(file, Path.Combine(temp, Path.GetFileName(file)), overwrite: true);
                    var pdb = Path.ChangeExtension(file, ".pdb");
                    if (File.Exists(pdb)) File.Copy(pdb, Path.Combine(temp, Path.GetFileName(pdb)), overwrite: true);
                }
                Directory.Move(temp, copy);
                _copies[dir] = copy;
            }
            var target = Path.Combine(copy, Path.GetFileName(full));
            if (!File.Exists(target)) File.Copy(full, target);
            return target;
        }
    }

    private static bool IsFramework(string path) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(Path.GetDirectoryName(typeof(object).Assembly.Location)!), StringComparison.Ordinal);

    /// <summary>An assembly with this simple name that the host process has loaded (or can load from its own folder).</summary>
    internal static Assembly? HostAssembly(string simpleName)
    {
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
            if (!a.IsDynamic && string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(a.Location))
                return a;
        return null;
    }

    public override bool Equals(object? other) => ReferenceEquals(this, other);
    public override int GetHashCode() => _shadowRoot.GetHashCode(StringComparison.Ordinal);
}
