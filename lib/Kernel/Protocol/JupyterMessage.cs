using System.Text.Json.Nodes;

namespace Course.Kernel.Protocol;

/// <summary>
/// One message of the Jupyter protocol: the ZeroMQ routing identities it came with, the four JSON parts and any
/// binary buffers.
/// </summary>
public sealed class JupyterMessage
{
    public const string ProtocolVersion = "5.3";

    public IReadOnlyList<byte[]> Identities { get; init; } = [];
    public JsonObject Header { get; init; } = new();
    public JsonObject ParentHeader { get; init; } = new();
    public JsonObject Metadata { get; init; } = new();
    public JsonObject Content { get; init; } = new();
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    public string MsgType => Header["msg_type"]?.GetValue<string>() ?? "";
    public string MsgId => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>A new header for a message of <paramref name="msgType"/> sent by the kernel's <paramref name="session"/>.</summary>
    public static JsonObject NewHeader(string msgType, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "kernel",
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };

    /// <summary>A message answering or caused by <paramref name="parent"/> (null: none), routed back to the same identities.</summary>
    public static JupyterMessage Create(string msgType, JsonObject content, JupyterMessage? parent, string session, IReadOnlyList<byte[]>? identities = null) => new()
    {
        Identities = identities ?? parent?.Identities ?? [],
        Header = NewHeader(msgType, session),
        ParentHeader = parent is null ? new JsonObject() : (JsonObject)parent.Header.DeepClone(),
        Content = content,
    };

    /// <summary>Reads a string field of the content, or <paramref name="fallback"/>.</summary>
    public string Text(string key, string fallback = "") =>
        Content[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    public bool Flag(string key, bool fallback) =>
        Content[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    public int Number(string key, int fallback) =>
        Content[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n : fallback;
}
