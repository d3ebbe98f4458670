using Torch.Interop;

namespace Torch;

/// <summary>An error raised by libtorch, carrying its message (shape, dtype, device problems...).</summary>
public class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    internal static Exception FromNative(Status status, string message) => status switch
    {
        Status.IndexError => new TorchIndexException(message),
        Status.OutOfMemory => new OutOfMemoryException(message),
        _ => new TorchException(message),
    };
}

/// <summary>An index out of range, raised by libtorch.</summary>
public sealed class TorchIndexException : TorchException
{
    public TorchIndexException(string message) : base(message) { }
}
