using System.Text;
using System.Text.Json.Nodes;
using Course.Kernel.Protocol;

namespace Course.Kernel;

/// <summary>Sends messages from any thread; the socket thread delivers them in the order they were sent.</summary>
public interface IMessageSender
{
    /// <summary>The kernel's session id (the header "session" of every message it sends).</summary>
    string Session { get; }

    void Send(KernelChannel channel, JupyterMessage message);
}

public static class MessageSenderExtensions
{
    /// <summary>Broadcasts on iopub with topic kernel.&lt;session&gt;.&lt;type&gt;, as a reaction to <paramref name="parent"/>.</summary>
    public static void Publish(this IMessageSender sender, string msgType, JsonObject content, JupyterMessage? parent)
    {
        var topic = Encoding.UTF8.GetBytes($"kernel.{sender.Session}.{msgType}");
        sender.Send(KernelChannel.Iopub, JupyterMessage.Create(msgType, content, parent, sender.Session, [topic]));
    }

    /// <summary>Answers <paramref name="request"/> on the channel it came in on.</summary>
    public static void Reply(this IMessageSender sender, KernelChannel channel, JupyterMessage request, string msgType, JsonObject content) =>
        sender.Send(channel, JupyterMessage.Create(msgType, content, request, sender.Session));

    public static void Status(this IMessageSender sender, string state, JupyterMessage? parent) =>
        sender.Publish("status", new JsonObject { ["execution_state"] = state }, parent);
}
