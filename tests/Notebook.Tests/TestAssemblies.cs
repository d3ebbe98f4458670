using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Notebook.Tests;

/// <summary>Compiles small class libraries for tests that #r a DLL.</summary>
internal static class TestAssemblies
{
    public static string Compile(string folder, string name, string source)
    {
        Directory.CreateDirectory(folder);
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], refs, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(folder, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }
}
