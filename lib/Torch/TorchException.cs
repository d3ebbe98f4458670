namespace Torch;

/// <summary>An error raised by libtorch, carrying its message (shape, dtype, device problems...).</summary>
public class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    internal static Exception FromNative(int status, string message) => status switch
    {
        2 => new TorchIndexException(message),
        5 => new OutOfMemoryException(message),
        _ => new TorchException(message),
    };
}

/// <summary>An index out of range, raised by libtorch.</summary>
public sealed class TorchIndexException : TorchException
{
    public TorchIndexException(string message) : base(message) { }
}
