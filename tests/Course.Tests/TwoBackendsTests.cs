using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Course.Testing;

namespace Course.Tests;

/// <summary>
/// The course library is one set of sources built twice: against the course's binding (lib/Course) and against
/// TorchSharp (lib/Course.TorchSharp). These check the arrangement that makes that possible.
/// </summary>
public class TwoBackendsTests
{
    private static string Library => Path.Combine(Checkout.Root, "lib", "Course");

    private static readonly Regex NamesABinding = new(@"^\s*(global\s+)?using\s+(static\s+)?(\w+\s*=\s*)?(Torch|TorchSharp)\b", RegexOptions.Multiline);

    private static string[] GlobalUsings(string path) => File.ReadAllLines(path).Where(l => l.StartsWith("global using")).Select(l => l.Trim()).ToArray();

    // the assemblies a built project references, and the types it defines ("Namespace.Name")
    private static (List<string> references, HashSet<string> types) Metadata(string project)
    {
        using var pe = new PEReader(File.OpenRead(Checkout.Built(project, project + ".dll")));
        var md = pe.GetMetadataReader();
        return (md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList(),
                md.TypeDefinitions.Select(h => md.GetTypeDefinition(h)).Select(t => $"{md.GetString(t.Namespace)}.{md.GetString(t.Name)}").ToHashSet());
    }

    [Fact]
    public void OnlyGlobalUsingsNamesTheBinding()
    {
        var offenders = Directory.EnumerateFiles(Library, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "GlobalUsings.cs" && NamesABinding.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Library, f)).ToList();
        Assert.True(offenders.Count == 0, $"these files name a binding in a using line; lib/Course/GlobalUsings.cs is the one place: {string.Join(", ", offenders)}");
        // the two files say the same thing, one with Torch, the other with TorchSharp (and PyBridge, for safetensors)
        Assert.Equal(GlobalUsings(Path.Combine(Library, "GlobalUsings.cs")).Select(l => l.Replace("Torch", "TorchSharp")).Append("global using TorchSharp.PyBridge;").Order(),
                     GlobalUsings(Path.Combine(Checkout.Root, "lib", "Course.TorchSharp", "GlobalUsings.cs")).Order());
    }

    [Fact]
    public void TheOnnxLibraryIsBuiltTwiceTheSameWay()
    {
        // lib/Onnx names its binding in GlobalUsings.cs only; lib/Onnx.TorchSharp compiles every other file against
        // TorchSharp with its own copy of that file (the deployment chapter exports on either backend)
        var onnx = Path.Combine(Checkout.Root, "lib", "Onnx");
        Assert.Empty(Directory.EnumerateFiles(onnx, "*.cs").Where(f => Path.GetFileName(f) != "GlobalUsings.cs" && NamesABinding.IsMatch(File.ReadAllText(f))));
        Assert.Equal(GlobalUsings(Path.Combine(onnx, "GlobalUsings.cs")).Select(l => l.Replace("Torch", "TorchSharp")).Order(),
                     GlobalUsings(Path.Combine(Checkout.Root, "lib", "Onnx.TorchSharp", "GlobalUsings.cs")).Order());
        var project = XDocument.Load(Path.Combine(Checkout.Root, "lib", "Onnx.TorchSharp", "Course.Onnx.TorchSharp.csproj"));
        var compile = project.Descendants("Compile").Single();
        Assert.Equal(("../Onnx/**/*.cs", "../Onnx/GlobalUsings.cs"), (compile.Attribute("Include")!.Value, compile.Attribute("Exclude")!.Value));
        var (references, _) = Metadata("Course.Onnx.TorchSharp");
        Assert.Contains("TorchSharp", references);
        Assert.Contains("Course.TorchSharp", references);
        Assert.DoesNotContain("Course.Torch", references);
    }

    [Fact]
    public void TheLibraryIsBuiltAgainstTorchSharpAsWell()
    {
        var (references, types) = Metadata("Course.TorchSharp");
        Assert.Contains("TorchSharp", references);
        Assert.DoesNotContain("Course.Torch", references);
        foreach (var model in new[] { "Course.Models.VisionTransformer", "Course.Models.CharTransformer", "Course.Models.ResNet", "Course.Models.Clip", "Course.Trainer" })
            Assert.Contains(model, types);
    }

    [Fact]
    public void TheTorchSharpBuildLeavesNothingOutAndAddsOnlyWhatTorchSharpLacks()
    {
        var project = XDocument.Load(Path.Combine(Checkout.Root, "lib", "Course.TorchSharp", "Course.TorchSharp.csproj"));
        var compile = project.Descendants("Compile").Single(e => e.Attribute("Include")!.Value == "../Course/**/*.cs");
        Assert.Equal("../Course/GlobalUsings.cs", compile.Attribute("Exclude")!.Value);          // every other library file
        // its own files: the usings, PyTorch's get_submodule / set_submodule and torch.backends.mkldnn's switch, which
        // TorchSharp 0.107.0 lacks, and the binding's optimizer StateBytes, which the fine-tuning chapters report
        Assert.Equal(new[] { "GlobalUsings.cs", "OneDnn.cs", "OptimizerStateBytes.cs", "SubmodulePaths.cs" },
                     Directory.EnumerateFiles(Path.Combine(Checkout.Root, "lib", "Course.TorchSharp"), "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var (_, types) = Metadata("Course.TorchSharp");
        foreach (var piece in new[] { "Course.FineTuning.LoRALinear", "Course.FineTuning.Lora", "Course.Compression.DynamicQuantizedLinear", "Course.Compression.Quantization", "Course.SubmodulePaths", "Course.OptimizerStateBytes", "Course.OneDnn" })
            Assert.Contains(piece, types);
    }
}
