using System.Runtime.InteropServices;

namespace Torch.Interop;

/// <summary>
/// The speed defaults, in one place (numbers measured on our 2-vCPU machines; see README):
/// <list type="bullet">
/// <item>OPENBLAS_NUM_THREADS=1 unless already set: OpenBLAS's own thread pool next to libtorch's
/// makes a training step ~2.5x slower. OpenBLAS reads it when it loads, and .NET's
/// Environment.SetEnvironmentVariable never reaches native getenv, so libc's setenv is called
/// before libtorch is loaded.</item>
/// <item>libtorch's intra-op threads = the cores this process may use (libtorch starts with 1 here).
/// COURSE_NUM_THREADS overrides.</item>
/// </list>
/// channels_last for convolutions is applied by nn.Conv2d on CPU (about 7x faster with oneDNN here).
/// </summary>
internal static class SpeedDefaults
{
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);

    internal static void BeforeLoad()
    {
        try { setenv("OPENBLAS_NUM_THREADS", "1", 0); } catch (Exception) { /* not glibc: leave BLAS as it is */ }
    }

    internal static unsafe void AfterLoad(IntPtr lib)
    {
        int threads = Environment.ProcessorCount;
        if (int.TryParse(Environment.GetEnvironmentVariable("COURSE_NUM_THREADS"), out var n) && n > 0) threads = n;
        var set = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(lib, "ts_set_num_threads");
        set(threads);
    }
}
