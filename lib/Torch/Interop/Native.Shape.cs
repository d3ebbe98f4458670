using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

/// <summary>The exports of lib/Native/src/shape.cpp: shapes, views, joining, splitting and indexing.</summary>
internal static partial class Native
{
    [DllImport(Lib)] internal static extern Status ts_view(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_reshape(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_permute(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_expand(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_repeat(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_flip(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_roll(H a, long shift, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_transpose(H a, long d0, long d1, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_flatten(H a, long start, long end, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_unflatten(H a, long dim, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_unsqueeze(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_squeeze(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_squeeze_dim(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_narrow(H a, long dim, long start, long len, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_select(H a, long dim, long index, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_slice(H a, long dim, long start, long end, long step, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_index_select(H a, long dim, H idx, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_gather(H a, long dim, H idx, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_scatter(H a, long dim, H idx, H src, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_scatter_add(H a, long dim, H idx, H src, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_tril(H a, long k, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_triu(H a, long k, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_one_hot(H a, long classes, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_masked_select(H a, H mask, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_nonzero(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_cat(IntPtr[] ts, int n, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_stack(IntPtr[] ts, int n, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_constant_pad(H a, long[] p, int n, double v, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_chunk(H a, long chunks, long dim, IntPtr[] r, out int n);
    [DllImport(Lib)] internal static extern Status ts_split(H a, long size, long dim, IntPtr[] r, out int n);
    [DllImport(Lib)] internal static extern Status ts_index(H a, IntPtr[] idx, int n, out IntPtr r);
}
