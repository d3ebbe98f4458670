using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

/// <summary>
/// The P/Invoke surface of lib/Native (libcoursetorch.so), one declaration per export. Every call
/// that can fail returns a status; <see cref="Check"/> turns a failure into a .NET exception that
/// carries libtorch's message. Tensor inputs are SafeHandles, outputs raw pointers that the caller
/// wraps at once.
/// </summary>
internal static partial class Native
{
    internal const string Lib = "coursetorch";

    internal static void Check(int status)
    {
        if (status != 0) throw TorchException.FromNative(status, Marshal.PtrToStringUTF8(ts_last_error()) ?? "");
    }

    [DllImport(Lib)] internal static extern IntPtr ts_last_error();
    [DllImport(Lib)] internal static extern IntPtr ts_version();
    [DllImport(Lib)] internal static extern int ts_cuda_is_available();
    [DllImport(Lib)] internal static extern int ts_cuda_device_count();
    [DllImport(Lib)] internal static extern int ts_fused_attention_available();
    [DllImport(Lib)] internal static extern int ts_mkldnn_available();
    [DllImport(Lib)] internal static extern int ts_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int ts_get_num_threads();
    [DllImport(Lib)] internal static extern int ts_set_num_interop_threads(int n);
    [DllImport(Lib)] internal static extern int ts_manual_seed(ulong seed);

    [DllImport(Lib)] internal static extern void ts_free(IntPtr t);
    [DllImport(Lib)] internal static extern int ts_shallow_copy(H a, out IntPtr r);

    [DllImport(Lib)] internal static extern int ts_dim(H a);
    [DllImport(Lib)] internal static extern long ts_numel(H a);
    [DllImport(Lib)] internal static extern int ts_sizes(H a, long[] r);
    [DllImport(Lib)] internal static extern int ts_strides(H a, long[] r);
    [DllImport(Lib)] internal static extern int ts_dtype(H a);
    [DllImport(Lib)] internal static extern int ts_device_type(H a);
    [DllImport(Lib)] internal static extern int ts_device_index(H a);
    [DllImport(Lib)] internal static extern int ts_requires_grad(H a);
    [DllImport(Lib)] internal static extern int ts_is_leaf(H a);
    [DllImport(Lib)] internal static extern int ts_is_contiguous(H a, int channelsLast);
    [DllImport(Lib)] internal static extern IntPtr ts_grad_fn_name(H a);
    [DllImport(Lib)] internal static extern IntPtr ts_data_ptr(H a);

    // factories
    [DllImport(Lib)] internal static extern int ts_empty(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_zeros(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_ones(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_full(long[] s, int n, double v, int integral, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_rand(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_randn(long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_randint(long lo, long hi, long[] s, int n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_randperm(long n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_arange(double start, double end, double step, int integral, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_linspace(double start, double end, long steps, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_eye(long n, int dt, int dev, int di, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_empty_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_zeros_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_ones_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_randn_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_rand_like(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern unsafe int ts_from_host(void* data, long[] s, int n, int dt, out IntPtr r);
    [DllImport(Lib)] internal static extern unsafe int ts_to_host(H a, void* dst, long nbytes);
    [DllImport(Lib)] internal static extern int ts_item(H a, out double r);
    [DllImport(Lib)] internal static extern int ts_to_dtype(H a, int dt, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_to_device(H a, int dev, int di, int nonBlocking, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_contiguous(H a, int channelsLast, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_clone(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_detach(H a, out IntPtr r);

    // unary
    [DllImport(Lib)] internal static extern int ts_neg(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_exp(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_log(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_sqrt(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_rsqrt(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_tanh(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_sigmoid(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_relu(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_abs(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_sin(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_cos(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_floor(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_ceil(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_round(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_sign(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_square(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_erf(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_reciprocal(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_logical_not(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_log1p(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_expm1(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_isnan(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_isinf(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_t(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_gelu(H a, int tanh, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_silu(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_leaky_relu(H a, double slope, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_softmax(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_log_softmax(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_clamp(H a, double lo, int hasLo, double hi, int hasHi, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_cumsum(H a, long dim, out IntPtr r);

    // binary
    [DllImport(Lib)] internal static extern int ts_add(H a, H b, double alpha, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_sub(H a, H b, double alpha, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_mul(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_div(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_pow(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_matmul(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_mm(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_bmm(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_eq(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_ne(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_lt(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_le(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_gt(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_ge(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_maximum(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_minimum(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_logical_and(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_logical_or(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_remainder(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_atan2(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_outer(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_addmm(H c, H a, H b, double beta, double alpha, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_where(H cond, H a, H b, out IntPtr r);

    // tensor-scalar
    [DllImport(Lib)] internal static extern int ts_add_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_sub_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_rsub_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_mul_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_div_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_rdiv_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_pow_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_rpow_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_remainder_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_eq_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_ne_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_lt_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_le_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_gt_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_ge_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_masked_fill(H a, H mask, double v, int integral, out IntPtr r);

    // in place
    [DllImport(Lib)] internal static extern int ts_add_(H a, H b, double alpha);
    [DllImport(Lib)] internal static extern int ts_mul_(H a, H b);
    [DllImport(Lib)] internal static extern int ts_add_scalar_(H a, double v, int integral);
    [DllImport(Lib)] internal static extern int ts_mul_scalar_(H a, double v);
    [DllImport(Lib)] internal static extern int ts_copy_(H a, H src);
    [DllImport(Lib)] internal static extern int ts_zero_(H a);
    [DllImport(Lib)] internal static extern int ts_fill_(H a, double v, int integral);
    [DllImport(Lib)] internal static extern int ts_uniform_(H a, double lo, double hi);
    [DllImport(Lib)] internal static extern int ts_normal_(H a, double mean, double std);
    [DllImport(Lib)] internal static extern int ts_clamp_(H a, double lo, double hi);
    [DllImport(Lib)] internal static extern int ts_masked_fill_(H a, H mask, double v, int integral);
    [DllImport(Lib)] internal static extern int ts_index_put_(H a, IntPtr[] idx, int n, H v);

    // reductions
    [DllImport(Lib)] internal static extern int ts_sum(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_sum_dims(H a, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_mean(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_mean_dims(H a, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_max(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_min(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_max_dim(H a, long dim, int keep, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern int ts_min_dim(H a, long dim, int keep, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern int ts_argmax(H a, long dim, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_argmin(H a, long dim, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_norm(H a, double p, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_norm_dims(H a, double p, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_logsumexp(H a, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_var(H a, long[] d, int n, int unbiased, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_std(H a, long[] d, int n, int unbiased, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_all(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_any(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_prod(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_allclose_t(H a, H b, double rtol, double atol, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_topk(H a, long k, long dim, int largest, int sorted, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern int ts_sort(H a, long dim, int descending, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern int ts_argsort(H a, long dim, int descending, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_multinomial(H a, long n, int replacement, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_bincount(H a, long minlength, out IntPtr r);

    // shape
    [DllImport(Lib)] internal static extern int ts_view(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_reshape(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_permute(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_expand(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_repeat(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_flip(H a, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_roll(H a, long shift, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_transpose(H a, long d0, long d1, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_flatten(H a, long start, long end, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_unflatten(H a, long dim, long[] s, int n, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_unsqueeze(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_squeeze(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_squeeze_dim(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_narrow(H a, long dim, long start, long len, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_select(H a, long dim, long index, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_slice(H a, long dim, long start, long end, long step, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_index_select(H a, long dim, H idx, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_gather(H a, long dim, H idx, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_scatter(H a, long dim, H idx, H src, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_scatter_add(H a, long dim, H idx, H src, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_tril(H a, long k, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_triu(H a, long k, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_one_hot(H a, long classes, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_masked_select(H a, H mask, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_nonzero(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_cat(IntPtr[] ts, int n, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_stack(IntPtr[] ts, int n, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_constant_pad(H a, long[] p, int n, double v, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_chunk(H a, long chunks, long dim, IntPtr[] r, out int n);
    [DllImport(Lib)] internal static extern int ts_split(H a, long size, long dim, IntPtr[] r, out int n);
    [DllImport(Lib)] internal static extern int ts_index(H a, IntPtr[] idx, int n, out IntPtr r);

    // nn
    [DllImport(Lib)] internal static extern int ts_linear(H x, H w, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_conv2d(H x, H w, H b, long[] stride, long[] pad, long[] dil, long groups, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_max_pool2d(H x, long[] k, long[] s, long[] p, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_avg_pool2d(H x, long[] k, long[] s, long[] p, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_adaptive_avg_pool2d(H x, long[] size, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_batch_norm(H x, H w, H b, H mean, H var, int training, double momentum, double eps, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_layer_norm(H x, long[] shape, int n, H w, H b, double eps, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_embedding(H w, H idx, long paddingIdx, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_dropout(H x, double p, int train, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_cross_entropy(H x, H target, H weight, int red, long ignoreIndex, double smoothing, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_nll_loss(H x, H target, H weight, int red, long ignoreIndex, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_mse_loss(H x, H target, int red, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_l1_loss(H x, H target, int red, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_binary_cross_entropy(H x, H target, H weight, int red, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_binary_cross_entropy_with_logits(H x, H target, H weight, H posWeight, int red, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_scaled_dot_product_attention(H q, H k, H v, H mask, double dropout, int causal, out IntPtr r);

    // autograd
    [DllImport(Lib)] internal static extern int ts_backward(H a, H grad, int retainGraph, int createGraph);
    [DllImport(Lib)] internal static extern int ts_grad(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern int ts_set_grad(H a, H g);
    [DllImport(Lib)] internal static extern int ts_requires_grad_(H a, int r);
    [DllImport(Lib)] internal static extern int ts_set_data(H a, H d);
    [DllImport(Lib)] internal static extern int ts_retain_grad(H a);
    [DllImport(Lib)] internal static extern int ts_is_grad_enabled();
    [DllImport(Lib)] internal static extern void ts_set_grad_enabled(int on);
    [DllImport(Lib)] internal static extern int ts_grads(IntPtr[] ts, int n, IntPtr[] r);
    [DllImport(Lib)] internal static extern int ts_foreach_zero_(IntPtr[] a, int n);
    [DllImport(Lib)] internal static extern int ts_foreach_mul_scalar_(IntPtr[] a, int n, double v);
    [DllImport(Lib)] internal static extern int ts_foreach_div_scalar_(IntPtr[] a, int n, double v);
    [DllImport(Lib)] internal static extern int ts_foreach_add_scalar_(IntPtr[] a, int n, double v);
    [DllImport(Lib)] internal static extern int ts_foreach_add_(IntPtr[] a, IntPtr[] b, int n, double alpha);
    [DllImport(Lib)] internal static extern int ts_foreach_add(IntPtr[] a, IntPtr[] b, int n, double alpha, IntPtr[] r);
    [DllImport(Lib)] internal static extern int ts_foreach_addcmul_(IntPtr[] a, IntPtr[] b, IntPtr[] c, int n, double v);
    [DllImport(Lib)] internal static extern int ts_foreach_addcdiv_(IntPtr[] a, IntPtr[] b, IntPtr[] c, int n, double v);
    [DllImport(Lib)] internal static extern int ts_foreach_sqrt(IntPtr[] a, int n, IntPtr[] r);
    [DllImport(Lib)] internal static extern int ts_foreach_norm(IntPtr[] a, int n, double p, IntPtr[] r);
    [DllImport(Lib)] internal static extern int ts_foreach_copy_(IntPtr[] a, IntPtr[] b, int n);
}
