using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

// lib/Native/src/linear.cpp: the linear layer, through the shim's CPU kernel (libtorch 1.x with a BLAS) or at::linear.
internal static partial class Native
{
    [DllImport(Lib)] internal static extern Status ts_linear(H x, H w, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_cpu_linear_available();
}
