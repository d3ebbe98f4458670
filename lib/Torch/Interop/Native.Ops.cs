using System.Runtime.InteropServices;
using H = Torch.Interop.TensorHandle;

namespace Torch.Interop;

/// <summary>The exports of lib/Native/src/ops.cpp: tensor math: elementwise, comparisons, in-place updates, reductions and linear algebra.</summary>
internal static partial class Native
{
    // unary
    [DllImport(Lib)] internal static extern Status ts_neg(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_exp(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_log(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_sqrt(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_rsqrt(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_tanh(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_sigmoid(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_relu(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_abs(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_sin(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_cos(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_floor(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_ceil(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_round(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_sign(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_square(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_erf(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_reciprocal(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_logical_not(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_bitwise_not(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_log1p(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_expm1(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_isnan(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_isinf(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_t(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_gelu(H a, int tanh, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_silu(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_leaky_relu(H a, double slope, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_softmax(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_log_softmax(H a, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_clamp(H a, double lo, int hasLo, double hi, int hasHi, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_cumsum(H a, long dim, out IntPtr r);

    // binary
    [DllImport(Lib)] internal static extern Status ts_add(H a, H b, double alpha, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_sub(H a, H b, double alpha, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_mul(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_div(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_pow(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_matmul(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_mm(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_bmm(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_eq(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_ne(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_lt(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_le(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_gt(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_ge(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_maximum(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_minimum(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_logical_and(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_logical_or(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_remainder(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_atan2(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_outer(H a, H b, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_addmm(H c, H a, H b, double beta, double alpha, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_where(H cond, H a, H b, out IntPtr r);

    // tensor-scalar
    [DllImport(Lib)] internal static extern Status ts_add_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_sub_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_rsub_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_mul_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_div_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_rdiv_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_pow_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_rpow_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_remainder_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_eq_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_ne_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_lt_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_le_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_gt_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_ge_scalar(H a, double v, int integral, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_masked_fill(H a, H mask, double v, int integral, out IntPtr r);

    // in place
    [DllImport(Lib)] internal static extern Status ts_add_(H a, H b, double alpha);
    [DllImport(Lib)] internal static extern Status ts_mul_(H a, H b);
    [DllImport(Lib)] internal static extern Status ts_add_scalar_(H a, double v, int integral);
    [DllImport(Lib)] internal static extern Status ts_mul_scalar_(H a, double v);
    [DllImport(Lib)] internal static extern Status ts_copy_(H a, H src);
    [DllImport(Lib)] internal static extern Status ts_zero_(H a);
    [DllImport(Lib)] internal static extern Status ts_fill_(H a, double v, int integral);
    [DllImport(Lib)] internal static extern Status ts_uniform_(H a, double lo, double hi);
    [DllImport(Lib)] internal static extern Status ts_normal_(H a, double mean, double std);
    [DllImport(Lib)] internal static extern Status ts_clamp_(H a, double lo, double hi);
    [DllImport(Lib)] internal static extern Status ts_masked_fill_(H a, H mask, double v, int integral);
    [DllImport(Lib)] internal static extern Status ts_index_put_(H a, IntPtr[] idx, int n, H v);

    // reductions
    [DllImport(Lib)] internal static extern Status ts_sum(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_sum_dims(H a, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_mean(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_mean_dims(H a, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_max(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_min(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_max_dim(H a, long dim, int keep, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern Status ts_min_dim(H a, long dim, int keep, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern Status ts_argmax(H a, long dim, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_argmin(H a, long dim, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_norm(H a, double p, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_norm_dims(H a, double p, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_logsumexp(H a, long[] d, int n, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_var(H a, long[] d, int n, int unbiased, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_std(H a, long[] d, int n, int unbiased, int keep, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_all(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_any(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_prod(H a, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_allclose_t(H a, H b, double rtol, double atol, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_topk(H a, long k, long dim, int largest, int sorted, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern Status ts_sort(H a, long dim, int descending, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern Status ts_argsort(H a, long dim, int descending, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_multinomial(H a, long n, int replacement, out IntPtr r);
    [DllImport(Lib)] internal static extern Status ts_bincount(H a, long minlength, out IntPtr r);
}
