using System.Text;
using System.Text.Json.Nodes;
using Course.Kernel.Protocol;

namespace Kernel.Tests;

public class WireFormatTests
{
    private static JupyterMessage Sample() => new()
    {
        Identities = [Encoding.ASCII.GetBytes("client-1")],
        Header = JupyterMessage.NewHeader("execute_request", "s1"),
        Content = new JsonObject { ["code"] = "1 + 1" },
    };

    [Fact]
    public void SignedMessagesRoundTrip()
    {
        var wire = new WireFormat(new MessageSigner("secret"));
        var frames = wire.Encode(Sample());
        Assert.Equal("client-1", Encoding.ASCII.GetString(frames[0]));
        Assert.Equal(WireFormat.Delimiter, frames[1]);
        Assert.Equal(64, frames[2].Length); // hex SHA-256
        var back = wire.TryDecode(frames, out var refusal);
        Assert.Equal(WireFormat.Refusal.None, refusal);
        Assert.Equal("execute_request", back!.MsgType);
        Assert.Equal("1 + 1", back.Text("code"));
        Assert.Equal("client-1", Encoding.ASCII.GetString(back.Identities.Single()));
    }

    [Fact]
    public void SignatureMatchesPythonHmac()
    {
        // hmac.new(b"key", b"abcd", hashlib.sha256).hexdigest()
        var signature = new MessageSigner("key").Sign("a"u8, "b"u8, "c"u8, "d"u8);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, "abcd"u8)), signature);
    }

    [Theory]
    [InlineData("wrong key")]
    [InlineData("tampered content")]
    [InlineData("no signature")]
    public void BadlySignedMessagesAreRefused(string how)
    {
        var frames = new WireFormat(new MessageSigner(how == "wrong key" ? "other" : "secret")).Encode(Sample());
        if (how == "tampered content") frames[6] = Encoding.UTF8.GetBytes("{\"code\":\"File.Delete(x)\"}");
        if (how == "no signature") frames[2] = [];
        Assert.Null(new WireFormat(new MessageSigner("secret")).TryDecode(frames, out var refusal));
        Assert.Equal(WireFormat.Refusal.BadSignature, refusal);
    }

    [Fact]
    public void WithoutAKeyNothingIsSigned()
    {
        var wire = new WireFormat(new MessageSigner(""));
        var frames = wire.Encode(Sample());
        Assert.Empty(frames[2]);
        Assert.NotNull(wire.TryDecode(frames, out _));
    }

    [Fact]
    public void MalformedMessagesAreRefused()
    {
        var wire = new WireFormat(new MessageSigner(""));
        Assert.Null(wire.TryDecode([Encoding.ASCII.GetBytes("no delimiter")], out var r1));
        Assert.Equal(WireFormat.Refusal.Malformed, r1);
        Assert.Null(wire.TryDecode([WireFormat.Delimiter, [], "not json"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()], out var r2));
        Assert.Equal(WireFormat.Refusal.Malformed, r2);
    }

    [Fact]
    public void ConnectionFilesNameEndpoints()
    {
        var json = JsonNode.Parse("""{"transport":"ipc","ip":"/tmp/k","shell_port":1,"control_port":2,"iopub_port":3,"stdin_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-sha256"}""")!.AsObject();
        var info = ConnectionInfo.Parse(json);
        Assert.Equal("ipc:///tmp/k-1", info.Endpoint(info.ShellPort));
        json["transport"] = "tcp"; json["ip"] = "127.0.0.1";
        Assert.Equal("tcp://127.0.0.1:5", ConnectionInfo.Parse(json).Endpoint(5));
        json.Remove("hb_port");
        Assert.Contains("hb_port", Assert.Throws<InvalidDataException>(() => ConnectionInfo.Parse(json)).Message);
        json["hb_port"] = 5; json["signature_scheme"] = "hmac-md5";
        Assert.Contains("hmac-md5", Assert.Throws<InvalidDataException>(() => ConnectionInfo.Parse(json)).Message);
    }
}
