using System.Security.Cryptography;

namespace Course;

/// <summary>
/// Shipped checkpoints: the weights a model chapter's full run produced, committed in checkpoints/ at the repository
/// root as &lt;name&gt;.safetensors with a manifest &lt;name&gt;.json (<see cref="PretrainedManifest"/>). With
/// COURSE_PRETRAINED=1 (<see cref="Env.Pretrained"/>) a model chapter loads them instead of training:
/// <code>
/// if (pretrained) Pretrained.Load(lenet, "lenet")   // shows "loaded, not trained" with the full run's numbers
/// </code>
/// A missing file, a file whose SHA-256 is not the manifest's, or weights of another architecture are errors naming
/// the file. (<see cref="Checkpoints"/> holds what this machine's own full runs saved, in artifacts/checkpoints/;
/// <c>./course checkpoints</c> packages those into checkpoints/.)
/// </summary>
public static class Pretrained
{
    /// <summary>The committed folder of shipped checkpoints.</summary>
    public static string Folder => Path.Combine(CourseEnvironment.RequiredDirectory(CourseEnvironment.Root), "checkpoints");

    /// <summary>Where the shipped weights <paramref name="name"/> live (whether or not they exist).</summary>
    public static string PathOf(string name) => Path.Combine(Folder, CheckName(name) + ".safetensors");

    /// <summary>Where the manifest of <paramref name="name"/> lives.</summary>
    public static string ManifestPathOf(string name) => Path.Combine(Folder, CheckName(name) + ".json");

    /// <summary>The manifest of <paramref name="name"/>; missing or malformed is an error naming the file.</summary>
    public static PretrainedManifest Manifest(string name) => PretrainedManifest.Read(ManifestPathOf(name));

    /// <summary>
    /// Checks that the shipped file <paramref name="name"/> exists and is the one its manifest describes (byte count
    /// and SHA-256); returns the manifest. Errors name the file and what differs.
    /// </summary>
    public static PretrainedManifest Verify(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"the shipped checkpoint {path} is missing; './course checkpoints {name}' makes it from a full run (or unset COURSE_PRETRAINED to train).", path);
        var manifest = Manifest(name);
        if (manifest.File != Path.GetFileName(path))
            throw new InvalidDataException($"{ManifestPathOf(name)} describes {manifest.File}, not {Path.GetFileName(path)}.");
        long bytes = new FileInfo(path).Length;
        var sha = Sha256(path);
        if (bytes != manifest.Bytes || sha != manifest.Sha256)
            throw new InvalidDataException($"{path} is not the file its manifest describes: {bytes:N0} bytes with SHA-256 {sha}, the manifest says {manifest.Bytes:N0} bytes with {manifest.Sha256} (a damaged copy or a partial checkout; restore it with git checkout -- checkpoints/).");
        return manifest;
    }

    /// <summary>
    /// Loads the shipped weights <paramref name="name"/> into <paramref name="model"/> after <see cref="Verify"/>; the
    /// result shows as "loaded, not trained" with the full run's recorded numbers. Weights of another architecture are
    /// an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static PretrainedCheckpoint Load(nn.Module model, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        var manifest = Verify(name);
        var path = PathOf(name);
        Checkpoints.LoadWeights(model, path);   // names the file when a tensor is missing, unexpected or of another shape
        return new PretrainedCheckpoint(manifest, path);
    }

    /// <summary>The SHA-256 of a file, as lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.StartsWith('.'))
            throw new ArgumentException($"'{name}' is not a checkpoint name (a file name without folder or extension).", nameof(name));
        return name;
    }
}
