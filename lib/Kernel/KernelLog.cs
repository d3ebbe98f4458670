namespace Course.Kernel;

/// <summary>
/// The kernel's own log: lines on the process's real stderr (Jupyter front ends show it in their kernel log),
/// never in a cell's output. Captured at startup, before the engine reroutes Console.Error into cells.
/// </summary>
public static class KernelLog
{
    private static readonly TextWriter Writer = TextWriter.Synchronized(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });

    /// <summary>Set by --verbose: also log each message received.</summary>
    public static bool Verbose { get; set; }

    public static void Info(string text) => Writer.WriteLine($"[C# kernel {DateTime.Now:HH:mm:ss}] {text}");

    public static void Debug(string text)
    {
        if (Verbose) Info(text);
    }
}
