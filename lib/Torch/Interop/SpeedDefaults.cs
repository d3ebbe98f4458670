using System.Runtime.InteropServices;

namespace Torch.Interop;

/// <summary>
/// The speed defaults of every process that loads the binding (numbers measured on our 2-vCPU
/// machines; see README "Speed defaults"):
/// <list type="bullet">
/// <item>OPENBLAS_NUM_THREADS=1 unless already set: OpenBLAS's own thread pool next to libtorch's
/// makes a training step ~2.5x slower. OpenBLAS reads it when it loads, and .NET's
/// Environment.SetEnvironmentVariable never reaches native getenv, so libc's setenv is called
/// before libtorch is loaded. This is the setting for C# processes; the same value is also put
/// in the environment of processes that a C# process cannot reach this way (see README).</item>
/// <item>glibc's malloc keeps freed blocks of up to 32 MiB for reuse (M_MMAP_THRESHOLD) and returns memory to the
/// system only above 256 MiB of free heap (M_TRIM_THRESHOLD). A training step frees its tensors together when its
/// dispose scope ends; with glibc's defaults the next step maps those megabytes afresh and pays a page fault for
/// every 4 KiB it touches.</item>
/// <item>libtorch's intra-op threads = the cores this process may use (libtorch starts with 1 here).
/// COURSE_NUM_THREADS overrides.</item>
/// </list>
/// channels_last for convolutions is applied by nn.Conv2d on CPU (about 7x faster with oneDNN here).
/// </summary>
internal static class SpeedDefaults
{
    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
    private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;   // glibc's malloc.h

    internal static void BeforeLoad()
    {
        // libtorch (Debian's or a CUDA build) runs on Linux here, where setenv is libc's; on any other
        // system there is no libc setenv to call, and OpenBLAS keeps its own default
        if (!OperatingSystem.IsLinux()) return;
        if (setenv("OPENBLAS_NUM_THREADS", "1", 0) != 0)
            throw new InvalidOperationException($"setenv(OPENBLAS_NUM_THREADS) failed with errno {Marshal.GetLastPInvokeError()}");
        // mallopt answers 1 on success; glibc is the C library of every Linux this kit supports (Debian)
        if (mallopt(M_MMAP_THRESHOLD, 32 << 20) != 1 || mallopt(M_TRIM_THRESHOLD, 256 << 20) != 1)
            throw new InvalidOperationException("mallopt refused the malloc settings (is the C library glibc?)");
    }

    internal static unsafe void AfterLoad(IntPtr lib)
    {
        int threads = Environment.ProcessorCount;
        if (int.TryParse(Environment.GetEnvironmentVariable("COURSE_NUM_THREADS"), out var n) && n > 0) threads = n;
        var set = (delegate* unmanaged<int, Status>)NativeLibrary.GetExport(lib, "ts_set_num_threads");
        // called while the library is being resolved, so no other export (ts_last_error) can be reached yet
        var status = set(threads);
        if (status != Status.Ok) throw new InvalidOperationException($"setting libtorch's intra-op threads to {threads} failed ({status})");
    }
}
