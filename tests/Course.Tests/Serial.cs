namespace Course.Tests;

/// <summary>Tests that count live tensors process-wide or set environment variables run alone.</summary>
[CollectionDefinition("serial", DisableParallelization = true)]
public sealed class SerialCollection { }

internal static class TempFolder
{
    /// <summary>A new empty folder under the system temp folder.</summary>
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
