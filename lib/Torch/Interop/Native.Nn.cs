using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

/// <summary>The exports of lib/Native/src/nn.cpp: neural-network functional ops and losses.</summary>
internal static partial class Native
{
    [DllImport(Lib)] internal static extern Status ts_conv2d(H x, H w, H b, long[] stride, long[] pad, long[] dil, long groups, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_max_pool2d(H x, long[] k, long[] s, long[] p, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_avg_pool2d(H x, long[] k, long[] s, long[] p, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_adaptive_avg_pool2d(H x, long[] size, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_batch_norm(H x, H w, H b, H mean, H var, int training, double momentum, double eps, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_layer_norm(H x, long[] shape, int n, H w, H b, double eps, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_embedding(H w, H idx, long paddingIdx, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_dropout(H x, double p, int train, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_cross_entropy(H x, H target, H weight, int red, long ignoreIndex, double smoothing, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_nll_loss(H x, H target, H weight, int red, long ignoreIndex, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_mse_loss(H x, H target, int red, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_l1_loss(H x, H target, int red, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_binary_cross_entropy(H x, H target, H weight, int red, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_binary_cross_entropy_with_logits(H x, H target, H weight, H posWeight, int red, out IntPtr r);
}
