using System.Runtime.InteropServices;
using L = Torch.Interop.TensorList;

namespace Torch.Interop;

/// <summary>
/// The exports of lib/Native/src/foreach.cpp: PyTorch's multi-tensor (_foreach_) ops over tensor
/// lists; a <c>_scalars</c> variant takes one scalar per entry.
/// </summary>
internal static partial class Native
{
    [DllImport(Lib)] internal static extern Status ts_foreach_mul_scalar_(L a, double v);
    [DllImport(Lib)] internal static extern Status ts_foreach_add_scalar_(L a, double v);
    [DllImport(Lib)] internal static extern Status ts_foreach_div_scalars_(L a, double[] v);
    [DllImport(Lib)] internal static extern Status ts_foreach_add_(L a, L b, double alpha);
    [DllImport(Lib)] internal static extern Status ts_foreach_add(L a, L b, double alpha, out L r);
    [DllImport(Lib)] internal static extern Status ts_foreach_addcmul_(L a, L b, L c, double v);
    [DllImport(Lib)] internal static extern Status ts_foreach_addcmul(L a, L b, L c, double v, out L r);
    [DllImport(Lib)] internal static extern Status ts_foreach_addcdiv_scalars_(L a, L b, L c, double[] v);
    [DllImport(Lib)] internal static extern Status ts_foreach_sqrt(L a, out L r);
    [DllImport(Lib)] internal static extern Status ts_foreach_sqrt_(L a);
    [DllImport(Lib)] internal static extern Status ts_foreach_norm(L a, double p, out L r);
    [DllImport(Lib)] internal static extern Status ts_foreach_copy_(L a, L b);
}
