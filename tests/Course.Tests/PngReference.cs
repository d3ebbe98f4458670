using System.Text.Json.Nodes;

namespace Course.Tests;

/// <summary>
/// The oracles of the PNG tests: reference/png_reference.py run by Debian's python3 with PIL and numpy (tiny PNGs of
/// every kind, written once per test run), and reference/png_real.json (PIL's checksums of real files of the Debian
/// packages, written by the same script's 'real' mode and committed).
/// </summary>
internal static class PngReference
{
    public const string Python = "/usr/bin/python3";
    public static string Script => Path.Combine(AppContext.BaseDirectory, "reference", "png_reference.py");

    private static readonly Lazy<string?> MissingPil = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} is missing (Debian's python3)";
        var r = ChildProcess.Run(Python, ["-c", "import PIL, numpy"], TimeSpan.FromMinutes(1));
        return r.ExitCode == 0 ? null : "python3-pil or python3-numpy is missing ('sudo apt-get install python3-pil python3-numpy')";
    });

    /// <summary>Why the Python oracle cannot run here, or null.</summary>
    public static string? PilMissing => MissingPil.Value;

    private static readonly Lazy<(string Folder, JsonArray Cases)> SyntheticSet = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("png-reference").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, true); } catch (IOException) { } };
        var r = ChildProcess.Run(Python, [Script, "synthetic", folder], TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0) throw new InvalidOperationException($"png_reference.py synthetic failed: {r}");
        return (folder, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")))!.AsArray());
    });

    /// <summary>The folder of the tiny PNGs and what each one holds.</summary>
    public static (string Folder, JsonArray Cases) Synthetic => SyntheticSet.Value;

    /// <summary>reference/png_real.json.</summary>
    public static JsonNode Real { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "png_real.json")))!;

    public static string? ClipArtMissing => Directory.Exists(ClipArt.StandardFolder) ? null : $"{ClipArt.StandardFolder} is missing (Debian package {ClipArt.Package})";
    public static string? DigitsMissing => File.Exists(OpenCvDigits.StandardPath) ? null : $"{OpenCvDigits.StandardPath} is missing (Debian package {OpenCvDigits.Package})";
}

/// <summary>A test that needs Debian's python3 with PIL and numpy.</summary>
public sealed class PilFactAttribute : FactAttribute
{
    public PilFactAttribute() { if (PngReference.PilMissing is { } why) Skip = why; }
}

/// <summary>A test that needs the clip art of the Debian package openclipart-png.</summary>
public sealed class ClipArtFactAttribute : FactAttribute
{
    public ClipArtFactAttribute() { if (PngReference.ClipArtMissing is { } why) Skip = why; }
}

/// <summary>A test that needs the clip art and the Python oracle.</summary>
public sealed class ClipArtPilFactAttribute : FactAttribute
{
    public ClipArtPilFactAttribute() { if ((PngReference.ClipArtMissing ?? PngReference.PilMissing) is { } why) Skip = why; }
}

/// <summary>A test that needs digits.png of the Debian package opencv-doc.</summary>
public sealed class DigitsFactAttribute : FactAttribute
{
    public DigitsFactAttribute() { if (PngReference.DigitsMissing is { } why) Skip = why; }
}
