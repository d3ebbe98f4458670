namespace Course.Kernel.ZeroMq;

/// <summary>Waits until any of some sockets (or plain file descriptors, such as a <see cref="WakeSignal"/>) can be read.</summary>
public static unsafe class Poller
{
    /// <summary>
    /// Returns, for each socket and then each descriptor, whether it is readable; all false after
    /// <paramref name="timeout"/> or when a signal interrupted the wait.
    /// </summary>
    public static bool[] WaitReadable(IReadOnlyList<ZmqSocket> sockets, IReadOnlyList<int> fds, TimeSpan timeout)
    {
        int n = sockets.Count + fds.Count;
        var items = stackalloc LibZmq.PollItem[n];
        for (int i = 0; i < sockets.Count; i++) items[i] = new LibZmq.PollItem { Socket = sockets[i].Handle, Events = LibZmq.POLLIN };
        for (int i = 0; i < fds.Count; i++) items[sockets.Count + i] = new LibZmq.PollItem { Fd = fds[i], Events = LibZmq.POLLIN };
        var ready = new bool[n];
        int rc = LibZmq.Poll(items, n, (long)timeout.TotalMilliseconds);
        if (rc < 0)
        {
            int errno = LibZmq.Errno();
            if (errno == LibZmq.EINTR) return ready;
            throw new ZmqException("polling sockets", errno);
        }
        for (int i = 0; i < n; i++) ready[i] = (items[i].Revents & LibZmq.POLLIN) != 0;
        return ready;
    }
}
