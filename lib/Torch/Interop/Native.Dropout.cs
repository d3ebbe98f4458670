using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

// lib/Native/src/dropout.cpp: dropout on the CPU with a counter-based keep-mask.
internal static partial class Native
{
    [DllImport(Lib)] internal static extern Status ts_cpu_dropout(H x, double p, out IntPtr r);
}
