using Course.Kernel.ZeroMq;

namespace Course.Kernel;

/// <summary>
/// The heartbeat channel: a REP socket on its own thread that echoes every ping, so a client can tell the kernel is
/// alive even while a cell keeps the other threads busy. It remembers when the last ping came, for
/// <see cref="LifeWatch"/>.
/// </summary>
public sealed class Heartbeat : IDisposable
{
    private readonly ZmqSocket _socket;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _lastPingTicks;

    public Heartbeat(ZmqContext context, string endpoint)
    {
        _socket = context.CreateSocket(LibZmq.REP);
        _socket.Linger = TimeSpan.Zero;
        _socket.Bind(endpoint);
        _thread = new Thread(Run) { IsBackground = true, Name = "heartbeat" };
        _thread.Start();
    }

    /// <summary>When the last ping arrived (UTC), or null before the first.</summary>
    public DateTime? LastPing => Interlocked.Read(ref _lastPingTicks) is var t && t == 0 ? null : new DateTime(t, DateTimeKind.Utc);

    private void Run()
    {
        try
        {
            while (!_stop)
            {
                if (!Poller.WaitReadable([_socket], [], TimeSpan.FromMilliseconds(200))[0]) continue;
                var ping = _socket.TryReceive();
                if (ping is null) continue;
                Interlocked.Exchange(ref _lastPingTicks, DateTime.UtcNow.Ticks);
                _socket.Send(ping);
            }
        }
        catch (ZmqException e) when (_stop || e.Errno == LibZmq.ETERM) { }
        catch (ZmqException e) { KernelLog.Info($"heartbeat stopped: {e.Message}"); }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
