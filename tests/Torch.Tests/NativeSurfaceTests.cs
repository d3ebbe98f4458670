using System.Reflection;
using System.Runtime.InteropServices;
using Torch.Interop;

namespace Torch.Tests;

/// <summary>Every declaration in Torch.Interop.Native names an export of libcoursetorch.so.</summary>
public class NativeSurfaceTests
{
    [Fact]
    public void EveryDeclarationResolves()
    {
        var lib = NativeLibrary.Load(Native.Lib, typeof(Native).Assembly, null);
        var names = typeof(Native).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(m => m.GetCustomAttribute<DllImportAttribute>() is not null)
            .Select(m => m.GetCustomAttribute<DllImportAttribute>()!.EntryPoint ?? m.Name)
            .ToList();
        Assert.True(names.Count > 200, $"found only {names.Count} declarations");
        Assert.Empty(names.Where(name => !NativeLibrary.TryGetExport(lib, name, out _)));
    }
}
