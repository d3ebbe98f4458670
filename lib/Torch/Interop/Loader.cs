using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Course;

namespace Torch.Interop;

/// <summary>
/// Loads libcoursetorch.so (and, through its RPATH, libtorch) the first time any native call is made, after applying
/// the speed defaults that native libraries read at load time. The file is the one $COURSE_TORCH_NATIVE names
/// (see <see cref="Course.CourseEnvironment"/>; ./course sets it).
/// </summary>
internal static class Loader
{
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(Loader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Native.Lib) return IntPtr.Zero;
        var file = Find();
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

    /// <summary>The native shim's path; a <see cref="DllNotFoundException"/> naming the variable when it is unset or wrong.</summary>
    private static string Find()
    {
        try { return CourseEnvironment.RequiredFile(CourseEnvironment.TorchNative); }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            throw new DllNotFoundException(e.Message, e);
        }
    }
}
