using System.Runtime.InteropServices;
using Course.Kernel.Protocol;
using Course.Kernel.ZeroMq;
using Course.Notebook;

namespace Course.Kernel;

/// <summary>Settings of one kernel process (from the command line).</summary>
public sealed record KernelOptions(string ConnectionFile, bool WatchParent = true, TimeSpan? HeartbeatTimeout = null);

/// <summary>
/// One kernel process: the notebook session (working directory = the current directory, which Jupyter sets to the
/// notebook's folder), the transport, heartbeat, the cell executor, interrupts by message and by SIGINT, and the
/// watch that ends an orphaned kernel. <see cref="Run"/> returns when the kernel should exit.
/// </summary>
public static class KernelHost
{
    public static int Run(KernelOptions options)
    {
        var connection = ConnectionInfo.Load(options.ConnectionFile);
        KernelLog.Info($"starting (pid {Environment.ProcessId}, libzmq {ZmqContext.Version}, folder {Directory.GetCurrentDirectory()})");

        using var context = new ZmqContext();
        using var heartbeat = new Heartbeat(context, connection.Endpoint(connection.HbPort));
        using var server = new KernelServer(connection, context);
        using var session = new NotebookSession(new SessionOptions
        {
            WorkingDirectory = Directory.GetCurrentDirectory(),
            SourceName = SourceName(),
        });
        using var executor = new CellExecutor(session, server);
        var stdin = new StdinReader(server, () => executor.RunningRequest);
        Console.SetIn(stdin);

        int exitCode = 0;
        var handlers = new MessageHandlers(server, executor, new CodeAssistant(session), stdin, restart => server.Stop());
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true; // SIGINT interrupts the cell; it never ends the kernel
            KernelLog.Info(executor.Interrupt() ? "SIGINT: the running cell was told to stop" : "SIGINT: no cell was running");
        });
        using var watch = new LifeWatch(heartbeat, options.WatchParent, options.HeartbeatTimeout, reason =>
        {
            KernelLog.Info($"exiting: {reason}");
            exitCode = 3;
            server.Stop();
        });
        if (watch.ParentPid != 0) KernelLog.Debug($"watching parent pid {watch.ParentPid}");

        server.Status("starting", null);
        server.Run(handlers.Handle);
        KernelLog.Info("stopped");
        return exitCode;
    }

    /// <summary>The notebook's name for error messages: from JPY_SESSION_NAME (set by Jupyter servers) when present.</summary>
    private static string SourceName()
    {
        var name = Environment.GetEnvironmentVariable("JPY_SESSION_NAME");
        return string.IsNullOrWhiteSpace(name) ? "notebook" : Path.GetFileNameWithoutExtension(name);
    }
}
