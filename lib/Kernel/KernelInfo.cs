using System.Reflection;
using System.Text.Json.Nodes;
using Course.Kernel.Protocol;

namespace Course.Kernel;

/// <summary>The kernel's identity: kernelspec name, display name, and the kernel_info_reply content.</summary>
public static class KernelInfo
{
    public const string SpecName = "csharp-course";
    public const string DisplayName = "C# (course)";
    public const string Language = "C#";

    public static string Version => typeof(KernelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    public static JsonObject Reply() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = SpecName,
        ["implementation_version"] = Version,
        ["language_info"] = new JsonObject
        {
            ["name"] = Language,
            ["version"] = "14.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"{DisplayName}: C# scripting on .NET {Environment.Version} for the deep-learning course kit " +
                     "(display(x), HTML(...), #r, #load, #r \"nuget: ...\"; interrupts stop loops that call Progress.Step).",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };
}
