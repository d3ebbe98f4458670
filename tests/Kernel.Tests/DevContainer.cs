using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kernel.Tests;

/// <summary>
/// .devcontainer/devcontainer.json, read as the dev container tools read it: JSON with comments (JSONC), no trailing
/// commas (the schema's allowTrailingCommas is false). A file that does not parse is an error naming it and the place.
/// </summary>
public sealed class DevContainer
{
    public static string DefaultPath => Path.Combine(Checkout.Root, ".devcontainer", "devcontainer.json");

    /// <summary>Debian's release names, oldest first, as base images name them in their tags (base:bookworm, base:1-bookworm).</summary>
    public static readonly IReadOnlyList<string> DebianCodenames = ["buster", "bullseye", "bookworm", "trixie", "forky"];

    private DevContainer(JsonObject json, string path) { Json = json; Source = path; }

    public JsonObject Json { get; }
    private string Source { get; }

    public static DevContainer Load(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"the dev container configuration {path} is missing.", path);
        return Parse(File.ReadAllText(path), path);
    }

    public static DevContainer Parse(string text, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON with comments: {e.Message}", e);
        }
        return node is JsonObject json ? new DevContainer(json, path) : throw new InvalidDataException($"{path} is not a JSON object.");
    }

    /// <summary>The same configuration with <paramref name="change"/> applied to a copy (the original is left as it is).</summary>
    public DevContainer With(Action<JsonObject> change)
    {
        var copy = Json.DeepClone().AsObject();
        change(copy);
        return new DevContainer(copy, Source + " (changed copy)");
    }

    /// <summary>Plain JSON, without the comments: what the schema validator reads.</summary>
    public string ToPlainJson() => Json.ToJsonString();

    public string Image => String("image");

    /// <summary>The Debian release the image's tag names ("mcr.microsoft.com/devcontainers/base:bookworm" → bookworm).</summary>
    public string ImageDebianCodename
    {
        get
        {
            var image = Image;
            int slash = image.LastIndexOf('/'), colon = image.LastIndexOf(':');
            var tag = colon > slash ? image[(colon + 1)..] : "";
            var codename = tag.Split('-').LastOrDefault(part => DebianCodenames.Contains(part));
            return codename ?? throw new InvalidDataException(
                $"{Source}: the image {image} names no Debian release in its tag ({string.Join(", ", DebianCodenames)}); pin one, e.g. base:bookworm.");
        }
    }

    /// <summary>The "version" option of the feature whose id starts with <paramref name="featureId"/> (ghcr.io/devcontainers/features/dotnet).</summary>
    public string FeatureVersion(string featureId)
    {
        var features = Json["features"] as JsonObject ?? throw new InvalidDataException($"{Source} has no \"features\" object.");
        var matches = features.Where(f => f.Key.StartsWith(featureId + ":", StringComparison.Ordinal)).ToList();
        if (matches.Count != 1) throw new InvalidDataException($"{Source} has {matches.Count} features {featureId}:<major>; it needs exactly one.");
        var (key, options) = matches[0];
        var version = (options as JsonObject)?["version"];
        return version?.GetValueKind() == JsonValueKind.String
            ? version.GetValue<string>()
            : throw new InvalidDataException($"{Source}: the feature {key} has no \"version\" string; pin the version.");
    }

    public string PostCreateCommand => String("postCreateCommand");

    private string String(string name) =>
        Json[name]?.GetValueKind() == JsonValueKind.String ? Json[name]!.GetValue<string>() : throw new InvalidDataException($"{Source} has no \"{name}\" string.");
}
