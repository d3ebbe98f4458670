using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Torch.Interop;

/// <summary>
/// Finds and loads libcoursetorch.so (and, through its RPATH, libtorch) the first time any native
/// call is made, after applying the speed defaults that native libraries read at load time.
/// Search order: $COURSE_TORCH_NATIVE (the .so itself), next to this assembly, then
/// artifacts/native/lib/ in the repository above this assembly, $COURSE_ROOT or the current folder.
/// </summary>
internal static class Loader
{
    private const string FileName = "libcoursetorch.so";

    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(Loader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Native.Lib) return IntPtr.Zero;
        var file = Find() ?? throw new DllNotFoundException(
            $"{FileName} was not found (looked in $COURSE_TORCH_NATIVE, next to {assembly.GetName().Name}.dll and in artifacts/native/lib above it and above the current folder). Run './course setup' at the repository root to build it.");
        SpeedDefaults.BeforeLoad();
        IntPtr lib;
        try { lib = NativeLibrary.Load(file); }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException($"{file} exists but could not be loaded (is libtorch installed? './course setup' installs it): {e.Message}", e);
        }
        SpeedDefaults.AfterLoad(lib);
        return lib;
    }

    internal static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("COURSE_TORCH_NATIVE");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : throw new DllNotFoundException($"COURSE_TORCH_NATIVE={env} does not exist.");
        var here = Path.GetDirectoryName(typeof(Loader).Assembly.Location);
        if (!string.IsNullOrEmpty(here) && File.Exists(Path.Combine(here, FileName))) return Path.Combine(here, FileName);
        foreach (var start in new[] { here, Environment.GetEnvironmentVariable("COURSE_ROOT"), Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "artifacts", "native", "lib", FileName);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
