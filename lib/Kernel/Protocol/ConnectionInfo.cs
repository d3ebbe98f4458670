using System.Text.Json.Nodes;

namespace Course.Kernel.Protocol;

/// <summary>
/// The connection file a Jupyter client writes before it starts the kernel: transport, address, the five ports
/// and the signing key.
/// </summary>
public sealed record ConnectionInfo(
    string Transport, string Ip, int ShellPort, int ControlPort, int IopubPort, int StdinPort, int HbPort,
    string SignatureScheme, string Key)
{
    public static ConnectionInfo Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"the connection file {path} does not exist.", path);
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"the connection file {path} is not valid JSON: {e.Message}", e); }
        return Parse(json, path);
    }

    public static ConnectionInfo Parse(JsonObject json, string source = "connection file")
    {
        string Text(string key, string? fallback = null) =>
            json[key]?.GetValue<string>() ?? fallback ?? throw new InvalidDataException($"{source} has no \"{key}\".");
        int Port(string key) => json[key]?.GetValue<int>() ?? throw new InvalidDataException($"{source} has no \"{key}\".");
        var info = new ConnectionInfo(
            Text("transport", "tcp"), Text("ip", "127.0.0.1"),
            Port("shell_port"), Port("control_port"), Port("iopub_port"), Port("stdin_port"), Port("hb_port"),
            Text("signature_scheme", "hmac-sha256"), Text("key", ""));
        if (info.Transport is not ("tcp" or "ipc")) throw new InvalidDataException($"{source}: transport \"{info.Transport}\" is not supported (tcp or ipc).");
        if (info.Key.Length > 0 && info.SignatureScheme != "hmac-sha256")
            throw new InvalidDataException($"{source}: signature scheme \"{info.SignatureScheme}\" is not supported (hmac-sha256).");
        return info;
    }

    /// <summary>The ZeroMQ endpoint of a port: tcp://ip:port, or ipc://ip-port as jupyter_client names ipc sockets.</summary>
    public string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"tcp://{Ip}:{port}";
}
