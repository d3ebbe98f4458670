using System.Text.Json.Nodes;
using System.Threading.Channels;
using Course.Kernel.Protocol;
using Course.Notebook;

namespace Course.Kernel;

/// <summary>
/// Runs execute_requests one after another on a thread of their own (so the socket thread stays free for
/// interrupts, completions and heartbeats) and publishes busy, execute_input, every output, the reply and idle.
/// After a failing cell with stop_on_error, the requests already waiting are answered "aborted", as ipykernel does.
/// </summary>
public sealed class CellExecutor : IDisposable
{
    /// <summary>How long an interrupted cell may take to stop before the user is told it does not check for interrupts.</summary>
    public static TimeSpan StuckNotice { get; set; } = TimeSpan.FromSeconds(5);

    private readonly NotebookSession _session;
    private readonly IMessageSender _sender;
    private readonly Channel<JupyterMessage> _queue = Channel.CreateUnbounded<JupyterMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private readonly object _gate = new();
    private CancellationTokenSource? _running;
    private JupyterMessage? _runningRequest;

    public CellExecutor(NotebookSession session, IMessageSender sender)
    {
        _session = session;
        _sender = sender;
        _thread = new Thread(() => LoopAsync().GetAwaiter().GetResult()) { IsBackground = true, Name = "cells" };
        _thread.Start();
    }

    /// <summary>The execute_request whose cell is running now (input_requests are answered to it), or null.</summary>
    public JupyterMessage? RunningRequest
    {
        get { lock (_gate) return _runningRequest; }
    }

    public void Enqueue(JupyterMessage request) => _queue.Writer.TryWrite(request);

    /// <summary>
    /// Interrupts the running cell: cooperative code (awaits, Progress.Step, Output.ThrowIfInterrupted) stops at its
    /// next check. Returns false when no cell is running.
    /// </summary>
    public bool Interrupt()
    {
        CancellationTokenSource? cts;
        JupyterMessage? request;
        lock (_gate) { cts = _running; request = _runningRequest; }
        if (cts is null || request is null) return false;
        try { cts.Cancel(); }
        catch (ObjectDisposedException) { return false; }
        _ = WarnIfStuckAsync(request);
        return true;
    }

    private async Task WarnIfStuckAsync(JupyterMessage request)
    {
        await Task.Delay(StuckNotice).ConfigureAwait(false);
        lock (_gate) if (!ReferenceEquals(_runningRequest, request)) return;
        KernelLog.Info("an interrupted cell is still running");
        _sender.Publish("stream", new JsonObject
        {
            ["name"] = "stderr",
            ["text"] = $"The cell is still running {StuckNotice.TotalSeconds:F0} s after the interrupt: its code never checks for interrupts " +
                       "(a loop without await, Progress.Step or Output.ThrowIfInterrupted()). Restart the kernel to stop it.\n",
        }, request);
    }

    private async Task LoopAsync()
    {
        await foreach (var request in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try { await ExecuteAsync(request).ConfigureAwait(false); }
            catch (Exception e)
            {
                // the engine reports cell failures itself; reaching here is a kernel bug: say so and stay up
                KernelLog.Info($"execute_request failed inside the kernel: {e}");
                _sender.Reply(KernelChannel.Shell, request, "execute_reply", new JsonObject
                {
                    ["status"] = "error", ["execution_count"] = _session.ExecutionCount,
                    ["ename"] = "KernelError", ["evalue"] = e.Message, ["traceback"] = new JsonArray(JsonValue.Create($"KernelError: {e.Message}")),
                });
                _sender.Status("idle", request);
            }
        }
    }

    private async Task ExecuteAsync(JupyterMessage request)
    {
        var code = request.Text("code");
        bool silent = request.Flag("silent", false);
        bool stopOnError = request.Flag("stop_on_error", true);
        _sender.Status("busy", request);
        if (!silent)
            _sender.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = _session.ExecutionCount + 1 }, request);

        using var cts = new CancellationTokenSource();
        lock (_gate) { _running = cts; _runningRequest = request; }
        CellResult result;
        try
        {
            result = await _session.ExecuteAsync(code, output =>
            {
                if (silent) return;
                var (type, content) = OutputMessages.For(output);
                _sender.Publish(type, content, request);
            }, cts.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) { _running = null; _runningRequest = null; }
        }

        var reply = new JsonObject { ["execution_count"] = result.ExecutionCount };
        if (result.Succeeded)
        {
            reply["status"] = "ok";
            reply["user_expressions"] = new JsonObject();
            reply["payload"] = new JsonArray();
        }
        else
        {
            reply["status"] = "error";
            foreach (var (key, value) in OutputMessages.Error(result.Error!)) reply[key] = value?.DeepClone();
        }
        if (!result.Succeeded) ReclaimAbandonedObjects();
        _sender.Reply(KernelChannel.Shell, request, "execute_reply", reply);
        if (!result.Succeeded && stopOnError) AbortWaiting();
        _sender.Status("idle", request);
    }

    /// <summary>
    /// A failed or interrupted cell leaves behind what it allocated and no longer references (tensors of an unfinished
    /// loop, for example). Their native memory is invisible to the GC, so collect and finalize them now rather than
    /// when the managed heap happens to fill. Variables the cell assigned before failing stay, as in any notebook.
    /// </summary>
    private static void ReclaimAbandonedObjects()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Answers every execute_request already queued with status "aborted" (they were sent after the failing cell).</summary>
    private void AbortWaiting()
    {
        while (_queue.Reader.TryRead(out var waiting))
        {
            _sender.Status("busy", waiting);
            _sender.Reply(KernelChannel.Shell, waiting, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _session.ExecutionCount });
            _sender.Status("idle", waiting);
        }
    }

    public void Dispose() => _queue.Writer.TryComplete();
}
