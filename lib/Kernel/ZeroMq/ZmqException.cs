namespace Course.Kernel.ZeroMq;

/// <summary>A libzmq call failed; <see cref="Errno"/> is libzmq's error number and the message says what was being done.</summary>
public sealed class ZmqException(string what, int errno)
    : Exception($"{what}: {LibZmq.ErrorText(errno)} (zmq errno {errno})")
{
    public int Errno { get; } = errno;

    internal static ZmqException Last(string what) => new(what, LibZmq.Errno());
}
