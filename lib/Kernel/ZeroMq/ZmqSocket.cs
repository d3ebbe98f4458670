namespace Course.Kernel.ZeroMq;

/// <summary>
/// One ZeroMQ socket. Like libzmq's sockets it is not thread-safe: exactly one thread uses it.
/// Messages are lists of frames (byte arrays).
/// </summary>
public sealed unsafe class ZmqSocket : IDisposable
{
    private nint _handle;

    internal ZmqSocket(ZmqContext context, int type)
    {
        _handle = LibZmq.Socket(context.Handle, type);
        if (_handle == 0) throw ZmqException.Last($"creating a ZeroMQ socket of type {type}");
        Linger = TimeSpan.FromSeconds(1);
    }

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(ZmqSocket));

    /// <summary>How long unsent messages are kept when the socket closes (so the last replies still leave).</summary>
    public TimeSpan Linger
    {
        set => SetInt(LibZmq.LINGER, (int)value.TotalMilliseconds);
    }

    public void SetInt(int option, int value)
    {
        if (LibZmq.SetSockOpt(Handle, option, &value, sizeof(int)) != 0) throw ZmqException.Last($"setting socket option {option}");
    }

    /// <summary>Binds to an endpoint such as tcp://127.0.0.1:5555 or ipc:///tmp/kernel-1.</summary>
    public void Bind(string endpoint)
    {
        if (LibZmq.Bind(Handle, endpoint) != 0) throw ZmqException.Last($"binding {endpoint}");
    }

    /// <summary>Sends all frames as one message (blocking only while the socket's queue is full).</summary>
    public void Send(IReadOnlyList<byte[]> frames)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            int flags = i < frames.Count - 1 ? LibZmq.SNDMORE : 0;
            while (true)
            {
                int rc;
                fixed (byte* p = frame) rc = LibZmq.Send(Handle, p, (nuint)frame.Length, flags);
                if (rc >= 0) break;
                int errno = LibZmq.Errno();
                if (errno == LibZmq.EINTR) continue;
                throw new ZmqException("sending a message", errno);
            }
        }
    }

    /// <summary>Receives one whole message if one is waiting; null when none is (never blocks).</summary>
    public List<byte[]>? TryReceive()
    {
        var frames = new List<byte[]>();
        LibZmq.Message message;
        while (true)
        {
            LibZmq.MsgInit(&message);
            int rc;
            do rc = LibZmq.MsgRecv(&message, Handle, frames.Count == 0 ? LibZmq.DONTWAIT : 0);
            while (rc < 0 && LibZmq.Errno() == LibZmq.EINTR);
            if (rc < 0)
            {
                int errno = LibZmq.Errno();
                LibZmq.MsgClose(&message);
                if (errno == LibZmq.EAGAIN && frames.Count == 0) return null;
                throw new ZmqException("receiving a message", errno);
            }
            var size = (int)LibZmq.MsgSize(&message);
            var frame = new byte[size];
            new ReadOnlySpan<byte>(LibZmq.MsgData(&message), size).CopyTo(frame);
            LibZmq.MsgClose(&message);
            frames.Add(frame);
            int more = 0;
            nuint length = sizeof(int);
            if (LibZmq.GetSockOpt(Handle, LibZmq.RCVMORE, &more, ref length) != 0) throw ZmqException.Last("reading ZMQ_RCVMORE");
            if (more == 0) return frames;
        }
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0) LibZmq.Close(h);
    }
}
