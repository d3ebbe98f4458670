using System.Runtime.InteropServices;

namespace Torch.Interop;

/// <summary>
/// Owns one native at::Tensor*. SafeHandle keeps the native object alive for the whole length of a
/// native call (reference counted by the marshaller), so a finalizer can never free a tensor that a
/// call is still using.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long live;

    /// <summary>Number of native tensors this process holds right now.</summary>
    internal static long Live => Interlocked.Read(ref live);

    /// <summary>Stands for an absent optional tensor argument (NULL on the native side).</summary>
    internal static readonly TensorHandle Null = new(IntPtr.Zero, owns: false);

    internal TensorHandle(IntPtr ptr, bool owns = true) : base(IntPtr.Zero, owns)
    {
        SetHandle(ptr);
        if (owns && ptr != IntPtr.Zero) Interlocked.Increment(ref live);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Native.ts_free(handle);
        Interlocked.Decrement(ref live);
        return true;
    }
}
