using System.Runtime.InteropServices;

namespace Course.Kernel;

/// <summary>
/// A kernel started from a background job (<c>nohup jupyter lab &amp;</c>, a test runner started with <c>&amp;</c>)
/// inherits SIGINT set to "ignore", and .NET then never delivers SIGINT to a <see cref="PosixSignalRegistration"/>:
/// interrupts with interrupt_mode "signal" would silently do nothing. SIGINT is the kernel's interrupt, so, as
/// ipykernel does by installing its own handler, the kernel puts SIGINT back to its default disposition before .NET's
/// signal handling starts (the registration in <see cref="KernelHost"/> then replaces the default).
/// </summary>
internal static class SigIntDisposition
{
    private const int SIGINT = 2;
    private static readonly IntPtr SIG_DFL = IntPtr.Zero;
    private static readonly IntPtr SIG_ERR = new(-1);

    [DllImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static extern IntPtr Signal(int signum, IntPtr handler);

    /// <summary>Call first thing in the process, before anything touches the console or signals.</summary>
    public static void RestoreDefault()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        if (Signal(SIGINT, SIG_DFL) == SIG_ERR)
            Console.Error.WriteLine($"warning: could not reset SIGINT to its default (errno {Marshal.GetLastPInvokeError()}); interrupts by signal may not reach the kernel.");
    }
}
