using System.Security.Cryptography;
using System.Text;

namespace Course.Kernel.Protocol;

/// <summary>
/// Signs and checks messages with HMAC-SHA256 over the header, parent header, metadata and content frames, keyed
/// with the connection file's key. An empty key means no signing (the signature frame is empty), as in jupyter_client.
/// </summary>
public sealed class MessageSigner(string key)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key ?? "");

    public bool Enabled => _key.Length > 0;

    /// <summary>The lowercase hex signature of the four frames.</summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parent);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="signature"/> is the right one (compared in constant time).</summary>
    public bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(header, parent, metadata, content));
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
