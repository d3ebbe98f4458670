namespace Course.Kernel.ZeroMq;

/// <summary>A libzmq context: owns the I/O thread of the kernel's sockets. Dispose it after every socket is closed.</summary>
public sealed class ZmqContext : IDisposable
{
    private nint _handle;

    public ZmqContext()
    {
        try { _handle = LibZmq.CtxNew(); }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException("libzmq.so.5 was not found: the kernel needs Debian's libzmq5 ('apt-get install libzmq5', which './course setup' does).", e);
        }
        if (_handle == 0) throw ZmqException.Last("creating a ZeroMQ context");
    }

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(ZmqContext));

    /// <summary>libzmq's version, e.g. "4.3.4".</summary>
    public static string Version
    {
        get { LibZmq.Version(out var a, out var b, out var c); return $"{a}.{b}.{c}"; }
    }

    public ZmqSocket CreateSocket(int type) => new(this, type);

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0) LibZmq.CtxTerm(h);
    }
}
