using System.Runtime.InteropServices;

namespace Torch.Interop;

/// <summary>The exports of lib/Native/src/lists.cpp: tensor lists (see <see cref="TensorList"/>).</summary>
internal static partial class Native
{
    [DllImport(Lib)] internal static extern void ts_list_free(IntPtr l);
    [DllImport(Lib)] internal static extern Status ts_list_new(IntPtr[] ts, int n, out TensorList r);
    [DllImport(Lib)] internal static extern int ts_list_size(TensorList l);
    [DllImport(Lib)] internal static extern Status ts_list_get(TensorList l, int i, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_list_select(TensorList l, int[] idx, int n, out TensorList r);
    [DllImport(Lib)] internal static extern Status ts_list_defined(TensorList l, int[] r);
}
