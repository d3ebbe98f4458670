using System.Runtime.InteropServices;

namespace Torch.Interop;

/// <summary>
/// The P/Invoke surface of lib/Native (libcoursetorch.so), one declaration per export, in one
/// partial file per native source file (Native.Core.cs for core.cpp, ...). Every export that can
/// fail returns a <see cref="Status"/>; <see cref="Check"/> turns a failure into a .NET exception
/// that carries libtorch's message. Tensor inputs are SafeHandles, tensor outputs raw pointers that
/// the caller wraps at once; tensor lists are <see cref="TensorList"/> both ways.
/// </summary>
internal static partial class Native
{
    internal const string Lib = "coursetorch";

    internal static void Check(Status status)
    {
        if (status != Status.Ok) throw TorchException.FromNative(status, Marshal.PtrToStringUTF8(ts_last_error()) ?? "");
    }
}
