using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

/// <summary>The exports of lib/Native/src/autograd.cpp: backward, grads and grad mode.</summary>
internal static partial class Native
{
    [DllImport(Lib)] internal static extern Status ts_backward(H a, H grad, int retainGraph, int createGraph);
    [DllImport(Lib)] internal static extern Status ts_grad(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_set_grad(H a, H g);
    [DllImport(Lib)] internal static extern Status ts_requires_grad_(H a, int r);
    [DllImport(Lib)] internal static extern Status ts_set_data(H a, H d);
    [DllImport(Lib)] internal static extern Status ts_retain_grad(H a);
    [DllImport(Lib)] internal static extern int ts_is_grad_enabled();
    [DllImport(Lib)] internal static extern void ts_set_grad_enabled(int on);
    [DllImport(Lib)] internal static extern Status ts_grads(TensorList ts, out TensorList r);
}
