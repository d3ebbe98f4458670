using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

// lib/Native/src/attention.cpp: libtorch 2.x's fused attention, and the shim's CPU kernel with its own backward (1.x).
internal static partial class Native
{
    [DllImport(Lib)] internal static extern int ts_fused_attention_available();
    [DllImport(Lib)] internal static extern Status ts_scaled_dot_product_attention(H q, H k, H v, H mask, double dropout, int causal, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_cpu_attention_available();
    [DllImport(Lib)] internal static extern Status ts_cpu_attention(H q, H k, H v, H mask, double dropout, int causal, out IntPtr output, out IntPtr weights);
}
