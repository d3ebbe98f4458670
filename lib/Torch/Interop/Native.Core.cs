using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

/// <summary>The exports of lib/Native/src/core.cpp: errors, capabilities, threads, seeds, handle lifetime, metadata, factories, host transfer and conversion.</summary>
internal static partial class Native
{
    [DllImport(Lib)] internal static extern IntPtr ts_last_error();
    [DllImport(Lib)] internal static extern int ts_status_count();
    [DllImport(Lib)] internal static extern IntPtr ts_status_name(int status);
    [DllImport(Lib)] internal static extern IntPtr ts_version();
    [DllImport(Lib)] internal static extern int ts_cuda_is_available();
    [DllImport(Lib)] internal static extern int ts_cuda_device_count();
    [DllImport(Lib)] internal static extern int ts_mkldnn_available();
    [DllImport(Lib)] internal static extern Status ts_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int ts_get_num_threads();
    [DllImport(Lib)] internal static extern int ts_kernel_threads();
    [DllImport(Lib)] internal static extern Status ts_set_num_interop_threads(int n);
    [DllImport(Lib)] internal static extern Status ts_manual_seed(ulong seed);

    [DllImport(Lib)] internal static extern void ts_free(IntPtr t);
    [DllImport(Lib)] internal static extern Status ts_shallow_copy(H a, out IntPtr r);

    [DllImport(Lib)] internal static extern int ts_dim(H a);
    [DllImport(Lib)] internal static extern long ts_numel(H a);
    [DllImport(Lib)] internal static extern Status ts_sizes(H a, long[] r);
    [DllImport(Lib)] internal static extern Status ts_strides(H a, long[] r);
    [DllImport(Lib)] internal static extern int ts_dtype(H a);
    [DllImport(Lib)] internal static extern int ts_device_type(H a);
    [DllImport(Lib)] internal static extern int ts_device_index(H a);
    [DllImport(Lib)] internal static extern int ts_requires_grad(H a);
    [DllImport(Lib)] internal static extern int ts_is_leaf(H a);
    [DllImport(Lib)] internal static extern int ts_is_contiguous(H a, int channelsLast);
    [DllImport(Lib)] internal static extern IntPtr ts_grad_fn_name(H a);
    [DllImport(Lib)] internal static extern IntPtr ts_data_ptr(H a);

    // factories
    [DllImport(Lib)] internal static extern Status ts_empty(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_zeros(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_ones(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_full(long[] s, int n, double v, int integral, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_rand(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_randn(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_randint(long lo, long hi, long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_randperm(long n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_arange(double start, double end, double step, int integral, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_linspace(double start, double end, long steps, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_eye(long n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_empty_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_zeros_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_ones_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_randn_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_rand_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern unsafe Status ts_from_host(void* data, long[] s, int n, int dt, out IntPtr r);
    [DllImport(Lib)] internal static extern unsafe Status ts_to_host(H a, void* dst, long nbytes);
    [DllImport(Lib)] internal static extern Status ts_item(H a, out double r);
    [DllImport(Lib)] internal static extern Status ts_to_dtype(H a, int dt, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_to_device(H a, int dev, int di, int nonBlocking, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_contiguous(H a, int channelsLast, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_clone(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_detach(H a, out IntPtr r);
}
