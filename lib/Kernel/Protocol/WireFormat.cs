using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Kernel.Protocol;

/// <summary>
/// Messages to and from ZeroMQ frames: identities, the delimiter &lt;IDS|MSG&gt;, the HMAC signature, header,
/// parent header, metadata, content, then buffers.
/// </summary>
public sealed class WireFormat(MessageSigner signer)
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>Why <see cref="TryDecode"/> refused a message (for the log).</summary>
    public enum Refusal { None, Malformed, BadSignature }

    public List<byte[]> Encode(JupyterMessage message)
    {
        var header = Json(message.Header);
        var parent = Json(message.ParentHeader);
        var metadata = Json(message.Metadata);
        var content = Json(message.Content);
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Decodes and checks the signature; null with the reason when the message must be dropped.</summary>
    public JupyterMessage? TryDecode(IReadOnlyList<byte[]> frames, out Refusal refusal)
    {
        refusal = Refusal.Malformed;
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        if (delimiter < 0 || frames.Count < delimiter + 6) return null;
        var signature = frames[delimiter + 1];
        var header = frames[delimiter + 2];
        var parent = frames[delimiter + 3];
        var metadata = frames[delimiter + 4];
        var content = frames[delimiter + 5];
        if (!signer.Verify(signature, header, parent, metadata, content)) { refusal = Refusal.BadSignature; return null; }
        try
        {
            var message = new JupyterMessage
            {
                Identities = frames.Take(delimiter).ToList(),
                Header = Parse(header),
                ParentHeader = Parse(parent),
                Metadata = Parse(metadata),
                Content = Parse(content),
                Buffers = frames.Skip(delimiter + 6).ToList(),
            };
            if (message.MsgType.Length == 0) return null;
            refusal = Refusal.None;
            return message;
        }
        catch (JsonException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Json(JsonObject o) => JsonSerializer.SerializeToUtf8Bytes(o, Options);

    private static JsonObject Parse(byte[] bytes) =>
        bytes.Length == 0 ? new JsonObject() : JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("a message part is not a JSON object");
}
