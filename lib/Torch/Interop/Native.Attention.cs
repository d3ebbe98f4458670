using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

// lib/Native/src/attention.cpp: scaled dot-product attention on the CPU with its own backward (libtorch 1.x).
internal static partial class Native
{
    [DllImport(Lib)] internal static extern int ts_cpu_attention_available();
    [DllImport(Lib)] internal static extern int ts_cpu_attention(H q, H k, H v, H mask, double dropout, int causal, out IntPtr output, out IntPtr weights);
}
