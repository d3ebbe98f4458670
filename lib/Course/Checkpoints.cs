namespace Course;

/// <summary>
/// Trained weights that later chapters build on, artifacts/checkpoints/&lt;name&gt;.safetensors (artifacts/torchsharp/checkpoints/ on
/// TorchSharp, <see cref="Backend"/>). A chapter's full run
/// saves its model; a later chapter loads it when that chapter has run here in full mode, and says where it came from.
/// </summary>
public static class Checkpoints
{
    /// <summary>The folder of the checkpoints.</summary>
    public static string Folder => Path.Combine(Backend.Artifacts(CourseEnvironment.RequiredDirectory(CourseEnvironment.Root)), "checkpoints");

    /// <summary>Where the checkpoint <paramref name="name"/> lives (whether or not it exists).</summary>
    public static string PathOf(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{name}' is not a checkpoint name (a file name without folder or extension).", nameof(name));
        return Path.Combine(Folder, name + ".safetensors");
    }

    /// <summary>Saves every parameter and buffer of <paramref name="model"/> (whole or not at all); returns the file.</summary>
    public static string Save(torch.nn.Module model, string name)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Folder);
        var tmp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            model.save_safetensors(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally { File.Delete(tmp); }
        return path;
    }

    /// <summary>
    /// Loads checkpoint <paramref name="name"/> into <paramref name="model"/> and returns when it was saved (UTC), or
    /// returns null when there is none. A checkpoint of another architecture is an error naming the file.
    /// </summary>
    public static DateTime? TryLoad(torch.nn.Module model, string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path)) return null;
        LoadWeights(model, path);
        return File.GetLastWriteTimeUtc(path);
    }

    /// <summary>
    /// Loads a safetensors file into <paramref name="model"/>; a file that is damaged or holds another architecture's
    /// weights is an <see cref="InvalidDataException"/> naming it, whichever binding reads it (TorchSharp.PyBridge says
    /// ArgumentException, or an error from native code, without the file's name).
    /// </summary>
    internal static void LoadWeights(torch.nn.Module model, string path)
    {
        try { model.load_safetensors(path); }
        catch (Exception e) when (e is not (InvalidDataException or FileNotFoundException or OutOfMemoryException))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Loads this machine's checkpoint <paramref name="name"/> (see <see cref="TryLoad"/>) or, when there is none, the
    /// kit's shipped copy of the recorded full run's weights (<see cref="Pretrained.Load"/>: checked against its
    /// manifest). Returns which one it loaded, or null when neither exists.
    /// </summary>
    public static LoadedCheckpoint? TryLoadOwnOrShipped(torch.nn.Module model, string name)
    {
        if (TryLoad(model, name) is { } saved) return new(name, PathOf(name), saved, null);
        if (!File.Exists(Pretrained.PathOf(name))) return null;
        var shipped = Pretrained.Load(model, name).Manifest;
        return new(name, Pretrained.PathOf(name), shipped.FullRunUtc, shipped);
    }
}
