using System.Runtime.InteropServices;

namespace Course.Kernel.ZeroMq;

/// <summary>
/// A Linux eventfd that any thread can <see cref="Set"/> to wake the socket thread out of <see cref="Poller.WaitReadable"/>
/// (ZeroMQ sockets cannot be shared between threads, a file descriptor can).
/// </summary>
public sealed partial class WakeSignal : IDisposable
{
    private const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    private int _fd;

    public WakeSignal()
    {
        _fd = EventFd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (_fd < 0) throw new InvalidOperationException($"eventfd failed (errno {Marshal.GetLastPInvokeError()}).");
    }

    public int FileDescriptor => _fd;

    public unsafe void Set()
    {
        ulong one = 1;
        _ = Write(_fd, &one, sizeof(ulong));
    }

    /// <summary>Clears the signal (call after the poll said it is readable).</summary>
    public unsafe void Reset()
    {
        ulong value;
        _ = Read(_fd, &value, sizeof(ulong));
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) CloseFd(fd);
    }

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write")]
    private static unsafe partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "read")]
    private static unsafe partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);
}
