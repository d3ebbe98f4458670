using System.Collections.Concurrent;
using Course.Kernel.Protocol;
using Course.Kernel.ZeroMq;

namespace Course.Kernel;

/// <summary>
/// The transport: binds shell, control and stdin (ROUTER) and iopub (PUB) from the connection file, receives and
/// checks messages on one socket thread and hands them to a handler, and delivers what any thread sends, in order.
/// A message with a bad signature is dropped and logged, never handled.
/// </summary>
public sealed class KernelServer : IMessageSender, IDisposable
{
    private readonly ZmqContext _context;
    private readonly ZmqSocket _shell, _control, _stdin, _iopub;
    private readonly WireFormat _wire;
    private readonly WakeSignal _wake = new();
    private readonly ConcurrentQueue<(KernelChannel Channel, JupyterMessage Message)> _outgoing = new();
    private volatile bool _stopping;

    public KernelServer(ConnectionInfo connection, ZmqContext context)
    {
        _context = context;
        _wire = new WireFormat(new MessageSigner(connection.Key));
        _shell = Bind(LibZmq.ROUTER, connection.Endpoint(connection.ShellPort));
        _control = Bind(LibZmq.ROUTER, connection.Endpoint(connection.ControlPort));
        _stdin = Bind(LibZmq.ROUTER, connection.Endpoint(connection.StdinPort));
        _iopub = Bind(LibZmq.PUB, connection.Endpoint(connection.IopubPort));
    }

    public string Session { get; } = Guid.NewGuid().ToString("N");

    /// <summary>How many messages were dropped for a bad signature (tests read it through the log too).</summary>
    public int RejectedMessages { get; private set; }

    private ZmqSocket Bind(int type, string endpoint)
    {
        var socket = _context.CreateSocket(type);
        try { socket.Bind(endpoint); }
        catch (ZmqException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"the kernel cannot listen on {endpoint} ({e.Message}); is another kernel using this connection file?", e);
        }
        return socket;
    }

    public void Send(KernelChannel channel, JupyterMessage message)
    {
        _outgoing.Enqueue((channel, message));
        _wake.Set();
    }

    /// <summary>Ends <see cref="Run"/> after everything sent so far has been delivered.</summary>
    public void Stop()
    {
        _stopping = true;
        _wake.Set();
    }

    /// <summary>Receives and dispatches until <see cref="Stop"/>; runs on the calling thread, which owns the sockets.</summary>
    public void Run(Action<KernelChannel, JupyterMessage> handle)
    {
        ZmqSocket[] inputs = [_control, _shell, _stdin];
        KernelChannel[] channels = [KernelChannel.Control, KernelChannel.Shell, KernelChannel.Stdin];
        int[] fds = [_wake.FileDescriptor];
        while (!_stopping)
        {
            var ready = Poller.WaitReadable(inputs, fds, TimeSpan.FromSeconds(1));
            if (ready[^1]) _wake.Reset();
            Flush();
            for (int i = 0; i < inputs.Length; i++)
            {
                if (!ready[i]) continue;
                // control first, and at most a few messages per socket per round so control is never starved
                for (int n = 0; n < 16 && !_stopping; n++)
                {
                    var frames = inputs[i].TryReceive();
                    if (frames is null) break;
                    var message = _wire.TryDecode(frames, out var refusal);
                    if (message is null)
                    {
                        RejectedMessages++;
                        KernelLog.Info(refusal == WireFormat.Refusal.BadSignature
                            ? $"dropped a message on {channels[i].ToString().ToLowerInvariant()} with a bad signature (not signed with this kernel's key)"
                            : $"dropped a malformed message on {channels[i].ToString().ToLowerInvariant()} ({frames.Count} frames)");
                        continue;
                    }
                    KernelLog.Debug($"{channels[i].ToString().ToLowerInvariant()}: {message.MsgType}");
                    try { handle(channels[i], message); }
                    catch (Exception e) { KernelLog.Info($"handling {message.MsgType} failed: {e}"); }
                    Flush();
                }
            }
        }
        Flush();
    }

    private void Flush()
    {
        while (_outgoing.TryDequeue(out var item))
        {
            var socket = item.Channel switch
            {
                KernelChannel.Shell => _shell,
                KernelChannel.Control => _control,
                KernelChannel.Stdin => _stdin,
                _ => _iopub,
            };
            try { socket.Send(_wire.Encode(item.Message)); }
            catch (ZmqException e) { KernelLog.Info($"sending {item.Message.MsgType} failed: {e.Message}"); }
        }
    }

    public void Dispose()
    {
        foreach (var s in new[] { _shell, _control, _stdin, _iopub }) s.Dispose();
        _wake.Dispose();
    }
}
