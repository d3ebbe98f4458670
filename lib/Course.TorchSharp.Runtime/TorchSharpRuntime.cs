using System.Reflection;
using System.Runtime.InteropServices;

namespace Course;

/// <summary>
/// Lets a notebook load TorchSharp's native libraries. An application finds them through its deps.json; a notebook
/// references shadow copies of the assemblies (no deps.json, no native files beside them), where TorchSharp's own search
/// fails. <see cref="Load"/> resolves TorchSharp's native imports to this project's build folder (recorded when it was
/// built), which holds this system's libtorch and libLibTorchSharp (on Debian 12 the patched copy; README, "Two backends").
/// It then switches libtorch's oneDNN off (<see cref="OneDnn"/>; <c>COURSE_TORCHSHARP_ONEDNN=1</c> keeps it on).
/// </summary>
public static class TorchSharpRuntime
{
    private static readonly object Gate = new();
    private static string? _folder;

    /// <summary>Registers the resolver and loads libtorch; safe to call again.</summary>
    /// <exception cref="FileNotFoundException">the build folder holds no libLibTorchSharp (the project was not built).</exception>
    public static void Load()
    {
        lock (Gate)
        {
            if (_folder is not null) return;
            var folder = BuildFolder();
            var file = Path.Combine(folder, NativeName("LibTorchSharp"));
            if (!File.Exists(file))
                throw new FileNotFoundException($"TorchSharp's native library is not in {folder}: build lib/Course.TorchSharp.Runtime (./course run --torchsharp does).", file);
            // loaded by path first: TorchSharp's own search then finds it among the loaded libraries (by its soname)
            // instead of copying libtorch out of the NuGet cache next to the shadow copy, its fallback
            NativeLibrary.Load(file);
            try { NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, Resolve); }
            catch (InvalidOperationException) { }   // registered already in this process
            _folder = folder;
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
            // oneDNN's convolutions give wrong input gradients in this libtorch (Course.OneDnn): off, unless asked for
            if (Environment.GetEnvironmentVariable("COURSE_TORCHSHARP_ONEDNN") != "1")
            {
                try { OneDnn.Enabled = false; }
                catch (PlatformNotSupportedException e)
                {
                    Console.Error.WriteLine($"warning: {e.Message} Convolution input gradients may be wrong on TorchSharp here (README, \"Two backends\").");
                }
            }
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (_folder is null) return IntPtr.Zero;
        var candidate = Path.Combine(_folder, NativeName(name));
        return File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle) ? handle : IntPtr.Zero;
    }

    private static string NativeName(string name) =>
        OperatingSystem.IsWindows() ? name + ".dll" : OperatingSystem.IsMacOS() ? $"lib{name}.dylib" : $"lib{name}.so";

    private static string BuildFolder()
    {
        var here = Path.GetDirectoryName(typeof(TorchSharpRuntime).Assembly.Location);
        if (!string.IsNullOrEmpty(here) && File.Exists(Path.Combine(here, NativeName("LibTorchSharp")))) return here;
        return typeof(TorchSharpRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                   .FirstOrDefault(a => a.Key == "CourseTorchSharpBuildFolder")?.Value
               ?? throw new InvalidOperationException("Course.TorchSharp.Runtime was built without its build folder.");
    }
}
