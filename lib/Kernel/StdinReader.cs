using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Course.Kernel.Protocol;

namespace Course.Kernel;

/// <summary>
/// Console.In of the kernel: Console.ReadLine() in a cell sends an input_request on the stdin channel to the
/// front end that asked for the running cell and waits for its input_reply. With no running cell, or a front end
/// that does not accept input (allow_stdin false), it reads end of input (null), as a headless run does.
/// </summary>
public sealed class StdinReader(IMessageSender sender, Func<JupyterMessage?> runningRequest) : TextReader
{
    private readonly BlockingCollection<string> _replies = new();

    /// <summary>Called by the socket thread with an input_reply's text.</summary>
    public void Deliver(string value) => _replies.Add(value);

    public override string? ReadLine()
    {
        var request = runningRequest();
        if (request is null || !request.Flag("allow_stdin", false)) return null;
        while (_replies.TryTake(out _)) { } // a late reply from an earlier prompt answers nothing now
        sender.Send(KernelChannel.Stdin, JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = "", ["password"] = false }, request, sender.Session));
        var token = Course.Display.Output.Current?.Cancellation ?? CancellationToken.None;
        try { return _replies.Take(token); }
        catch (OperationCanceledException) { token.ThrowIfCancellationRequested(); throw; }
    }

    public override int Read() => -1;
    public override int Peek() => -1;
    public override string ReadToEnd() => ReadLine() ?? "";
}
