using System.Text;

namespace Course.Notebook;

/// <summary>
/// Replaces Console.Out and Console.Error once per process with writers that send text to the cell that is running
/// in the current async flow (so each cell's output is captured even when sessions share a process), and to the
/// original console otherwise.
/// </summary>
internal static class ConsoleRouter
{
    private static readonly AsyncLocal<Action<string, string>?> Sink = new();
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        Console.SetOut(new RoutingWriter("stdout", Console.Out));
        Console.SetError(new RoutingWriter("stderr", Console.Error));
    }

    /// <summary>Routes console text of this async flow to <paramref name="sink"/>(streamName, text) until disposed.</summary>
    public static IDisposable Capture(Action<string, string> sink)
    {
        Install();
        var previous = Sink.Value;
        Sink.Value = sink;
        return new Restore(previous);
    }

    private sealed class Restore(Action<string, string>? previous) : IDisposable
    {
        public void Dispose() => Sink.Value = previous;
    }

    private sealed class RoutingWriter(string name, TextWriter original) : TextWriter
    {
        public override Encoding Encoding => original.Encoding;
        public override IFormatProvider FormatProvider => original.FormatProvider;

        public override void Write(char value) => Write(value.ToString());
        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
        public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (Sink.Value is { } sink) sink(name, value);
            else original.Write(value);
        }

        public override void WriteLine(string? value) => Write((value ?? "") + NewLine);
        public override void Flush() { if (Sink.Value is null) original.Flush(); }
    }
}
