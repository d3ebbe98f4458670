using System.Text.Json.Nodes;
using Course.Kernel.Protocol;

namespace Course.Kernel;

/// <summary>
/// What the kernel does with each request. execute_request goes to the <see cref="CellExecutor"/> queue; everything
/// else is answered right away (completions and inspection on the thread pool, so a slow one never delays an
/// interrupt), each wrapped in busy/idle status messages as front ends expect.
/// </summary>
public sealed class MessageHandlers(IMessageSender sender, CellExecutor executor, CodeAssistant assistant, StdinReader stdin, Action<bool> shutdown)
{
    public void Handle(KernelChannel channel, JupyterMessage request)
    {
        switch (request.MsgType)
        {
            case "execute_request" when channel == KernelChannel.Shell:
                executor.Enqueue(request);
                break;
            case "input_reply" when channel == KernelChannel.Stdin:
                stdin.Deliver(request.Text("value"));
                break;
            case "interrupt_request":
                Answer(channel, request, "interrupt_reply", () =>
                {
                    bool stopped = executor.Interrupt();
                    KernelLog.Info(stopped ? "interrupt: the running cell was told to stop" : "interrupt: no cell was running");
                    return new JsonObject { ["status"] = "ok" };
                });
                break;
            case "shutdown_request":
                bool restart = request.Flag("restart", false);
                var reply = new JsonObject { ["status"] = "ok", ["restart"] = restart };
                sender.Status("busy", request);
                sender.Reply(channel, request, "shutdown_reply", reply);
                sender.Publish("shutdown_reply", (JsonObject)reply.DeepClone(), request);
                sender.Status("idle", request);
                KernelLog.Info(restart ? "shutdown for a restart requested" : "shutdown requested");
                shutdown(restart);
                break;
            case "kernel_info_request":
                Answer(channel, request, "kernel_info_reply", KernelInfo.Reply);
                break;
            case "is_complete_request":
                Answer(channel, request, "is_complete_reply", () =>
                {
                    var status = CodeAssistant.IsComplete(request.Text("code"));
                    var content = new JsonObject { ["status"] = status };
                    if (status == "incomplete") content["indent"] = "";
                    return content;
                });
                break;
            case "complete_request":
                AnswerLater(channel, request, "complete_reply", () =>
                {
                    var code = request.Text("code");
                    var c = assistant.Complete(code, request.Number("cursor_pos", code.Length));
                    return new JsonObject
                    {
                        ["status"] = "ok",
                        ["matches"] = new JsonArray(c.Matches.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
                        ["cursor_start"] = c.CursorStart,
                        ["cursor_end"] = c.CursorEnd,
                        ["metadata"] = new JsonObject
                        {
                            ["_jupyter_types_experimental"] = new JsonArray(c.Types.Select(t => (JsonNode?)new JsonObject
                            {
                                ["text"] = t.Text, ["type"] = t.Type, ["start"] = c.CursorStart, ["end"] = c.CursorEnd,
                            }).ToArray()),
                        },
                    };
                });
                break;
            case "inspect_request":
                AnswerLater(channel, request, "inspect_reply", () =>
                {
                    var code = request.Text("code");
                    var found = assistant.Inspect(code, request.Number("cursor_pos", code.Length));
                    var data = new JsonObject();
                    if (found is not null)
                    {
                        data["text/plain"] = found.Signature + (found.Documentation is { } d ? "\n\n" + d : "");
                        data["text/markdown"] = $"```csharp\n{found.Signature}\n```" + (found.Documentation is { } md ? "\n\n" + md : "");
                    }
                    return new JsonObject { ["status"] = "ok", ["found"] = found is not null, ["data"] = data, ["metadata"] = new JsonObject() };
                });
                break;
            case "history_request":
                Answer(channel, request, "history_reply", () => new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                break;
            case "comm_info_request":
                Answer(channel, request, "comm_info_reply", () => new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                // no comm targets: close it, as ipykernel does for an unknown target
                sender.Publish("comm_close", new JsonObject { ["comm_id"] = request.Text("comm_id"), ["data"] = new JsonObject() }, request);
                break;
            case "comm_msg" or "comm_close":
                break;
            default:
                KernelLog.Info($"ignored a {request.MsgType} on {channel.ToString().ToLowerInvariant()} (not supported by this kernel)");
                break;
        }
    }

    private void Answer(KernelChannel channel, JupyterMessage request, string replyType, Func<JsonObject> content)
    {
        sender.Status("busy", request);
        JsonObject reply;
        try { reply = content(); }
        catch (Exception e) { reply = Failure(e); }
        sender.Reply(channel, request, replyType, reply);
        sender.Status("idle", request);
    }

    private void AnswerLater(KernelChannel channel, JupyterMessage request, string replyType, Func<JsonObject> content) =>
        Task.Run(() => Answer(channel, request, replyType, content));

    private static JsonObject Failure(Exception e)
    {
        KernelLog.Info($"request failed: {e}");
        return new JsonObject
        {
            ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message,
            ["traceback"] = new JsonArray(JsonValue.Create($"{e.GetType().Name}: {e.Message}")),
        };
    }
}
