using Torch.Interop;
using N = Torch.Interop.Native;

namespace Torch;

// Elementwise math, comparisons, operators, in-place updates and reductions.
public partial class Tensor
{
    private static int I(bool b) => b ? 1 : 0;

    // ---- unary ---------------------------------------------------------------------------------
    public Tensor neg() => New(N.ts_neg(Handle, out var r), r);
    public Tensor exp() => New(N.ts_exp(Handle, out var r), r);
    public Tensor log() => New(N.ts_log(Handle, out var r), r);
    public Tensor sqrt() => New(N.ts_sqrt(Handle, out var r), r);
    public Tensor rsqrt() => New(N.ts_rsqrt(Handle, out var r), r);
    public Tensor tanh() => New(N.ts_tanh(Handle, out var r), r);
    public Tensor sigmoid() => New(N.ts_sigmoid(Handle, out var r), r);
    public Tensor relu() => New(N.ts_relu(Handle, out var r), r);
    public Tensor abs() => New(N.ts_abs(Handle, out var r), r);
    public Tensor sin() => New(N.ts_sin(Handle, out var r), r);
    public Tensor cos() => New(N.ts_cos(Handle, out var r), r);
    public Tensor floor() => New(N.ts_floor(Handle, out var r), r);
    public Tensor ceil() => New(N.ts_ceil(Handle, out var r), r);
    public Tensor round() => New(N.ts_round(Handle, out var r), r);
    public Tensor sign() => New(N.ts_sign(Handle, out var r), r);
    public Tensor square() => New(N.ts_square(Handle, out var r), r);
    public Tensor erf() => New(N.ts_erf(Handle, out var r), r);
    public Tensor reciprocal() => New(N.ts_reciprocal(Handle, out var r), r);
    public Tensor logical_not() => New(N.ts_logical_not(Handle, out var r), r);
    public Tensor bitwise_not() => New(N.ts_bitwise_not(Handle, out var r), r);
    public Tensor log1p() => New(N.ts_log1p(Handle, out var r), r);
    public Tensor expm1() => New(N.ts_expm1(Handle, out var r), r);
    public Tensor isnan() => New(N.ts_isnan(Handle, out var r), r);
    public Tensor isinf() => New(N.ts_isinf(Handle, out var r), r);
    /// <summary>Transpose of a matrix (2-D), as PyTorch's t().</summary>
    public Tensor t() => New(N.ts_t(Handle, out var r), r);
    public Tensor T => t();
    public Tensor softmax(long dim) => New(N.ts_softmax(Handle, dim, out var r), r);
    public Tensor log_softmax(long dim) => New(N.ts_log_softmax(Handle, dim, out var r), r);
    public Tensor clamp(double? min = null, double? max = null) =>
        New(N.ts_clamp(Handle, min ?? 0, I(min.HasValue), max ?? 0, I(max.HasValue), out var r), r);
    public Tensor clip(double? min = null, double? max = null) => clamp(min, max);
    public Tensor cumsum(long dim) => New(N.ts_cumsum(Handle, dim, out var r), r);

    // ---- binary --------------------------------------------------------------------------------
    public Tensor add(Tensor o, double alpha = 1) => New(N.ts_add(Handle, o.Handle, alpha, out var r), r);
    public Tensor sub(Tensor o, double alpha = 1) => New(N.ts_sub(Handle, o.Handle, alpha, out var r), r);
    public Tensor mul(Tensor o) => New(N.ts_mul(Handle, o.Handle, out var r), r);
    public Tensor div(Tensor o) => New(N.ts_div(Handle, o.Handle, out var r), r);
    public Tensor pow(Tensor o) => New(N.ts_pow(Handle, o.Handle, out var r), r);
    public Tensor matmul(Tensor o) => New(N.ts_matmul(Handle, o.Handle, out var r), r);
    public Tensor mm(Tensor o) => New(N.ts_mm(Handle, o.Handle, out var r), r);
    public Tensor bmm(Tensor o) => New(N.ts_bmm(Handle, o.Handle, out var r), r);
    public Tensor outer(Tensor o) => New(N.ts_outer(Handle, o.Handle, out var r), r);
    public Tensor eq(Tensor o) => New(N.ts_eq(Handle, o.Handle, out var r), r);
    public Tensor ne(Tensor o) => New(N.ts_ne(Handle, o.Handle, out var r), r);
    public Tensor lt(Tensor o) => New(N.ts_lt(Handle, o.Handle, out var r), r);
    public Tensor le(Tensor o) => New(N.ts_le(Handle, o.Handle, out var r), r);
    public Tensor gt(Tensor o) => New(N.ts_gt(Handle, o.Handle, out var r), r);
    public Tensor ge(Tensor o) => New(N.ts_ge(Handle, o.Handle, out var r), r);
    public Tensor maximum(Tensor o) => New(N.ts_maximum(Handle, o.Handle, out var r), r);
    public Tensor minimum(Tensor o) => New(N.ts_minimum(Handle, o.Handle, out var r), r);
    public Tensor logical_and(Tensor o) => New(N.ts_logical_and(Handle, o.Handle, out var r), r);
    public Tensor logical_or(Tensor o) => New(N.ts_logical_or(Handle, o.Handle, out var r), r);
    public Tensor remainder(Tensor o) => New(N.ts_remainder(Handle, o.Handle, out var r), r);
    public Tensor atan2(Tensor o) => New(N.ts_atan2(Handle, o.Handle, out var r), r);
    public Tensor masked_fill(Tensor mask, double value) => New(N.ts_masked_fill(Handle, mask.Handle, value, 0, out var r), r);

    // tensor-scalar: an int keeps integer tensors integral (as Python's int does), a double promotes
    public Tensor add(double v) => New(N.ts_add_scalar(Handle, v, 0, out var r), r);
    public Tensor add(long v) => New(N.ts_add_scalar(Handle, v, 1, out var r), r);
    public Tensor sub(double v) => New(N.ts_sub_scalar(Handle, v, 0, out var r), r);
    public Tensor sub(long v) => New(N.ts_sub_scalar(Handle, v, 1, out var r), r);
    public Tensor mul(double v) => New(N.ts_mul_scalar(Handle, v, 0, out var r), r);
    public Tensor mul(long v) => New(N.ts_mul_scalar(Handle, v, 1, out var r), r);
    public Tensor div(double v) => New(N.ts_div_scalar(Handle, v, 0, out var r), r);
    public Tensor pow(double v) => New(N.ts_pow_scalar(Handle, v, 0, out var r), r);
    public Tensor pow(long v) => New(N.ts_pow_scalar(Handle, v, 1, out var r), r);
    public Tensor remainder(long v) => New(N.ts_remainder_scalar(Handle, v, 1, out var r), r);
    public Tensor eq(double v) => New(N.ts_eq_scalar(Handle, v, 0, out var r), r);
    public Tensor ne(double v) => New(N.ts_ne_scalar(Handle, v, 0, out var r), r);
    public Tensor lt(double v) => New(N.ts_lt_scalar(Handle, v, 0, out var r), r);
    public Tensor le(double v) => New(N.ts_le_scalar(Handle, v, 0, out var r), r);
    public Tensor gt(double v) => New(N.ts_gt_scalar(Handle, v, 0, out var r), r);
    public Tensor ge(double v) => New(N.ts_ge_scalar(Handle, v, 0, out var r), r);

    // ---- operators -----------------------------------------------------------------------------
    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator %(Tensor a, Tensor b) => a.remainder(b);
    public static Tensor operator -(Tensor a) => a.neg();
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    public static Tensor operator +(Tensor a, long b) => a.add(b);
    public static Tensor operator +(long a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    public static Tensor operator -(Tensor a, long b) => a.sub(b);
    public static Tensor operator -(double a, Tensor b) => New(N.ts_rsub_scalar(b.Handle, a, 0, out var r), r);
    public static Tensor operator -(long a, Tensor b) => New(N.ts_rsub_scalar(b.Handle, a, 1, out var r), r);
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    public static Tensor operator *(Tensor a, long b) => a.mul(b);
    public static Tensor operator *(long a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    public static Tensor operator /(double a, Tensor b) => New(N.ts_rdiv_scalar(b.Handle, a, 0, out var r), r);
    public static Tensor operator %(Tensor a, long b) => a.remainder(b);
    public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
    public static Tensor operator <(Tensor a, double b) => a.lt(b);
    public static Tensor operator >(Tensor a, double b) => a.gt(b);
    public static Tensor operator <=(Tensor a, double b) => a.le(b);
    public static Tensor operator >=(Tensor a, double b) => a.ge(b);
    public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
    /// <summary>Bitwise not, as in PyTorch and TorchSharp: on a bool mask it is the logical not.</summary>
    public static Tensor operator ~(Tensor a) => a.bitwise_not();

    // As in TorchSharp and PyTorch, == and != compare elements and give a bool tensor; whether two variables hold the same
    // tensor object is asked with ReferenceEquals (or `is null` for null).
    public static Tensor operator ==(Tensor a, Tensor b) => NotNull(a).eq(NotNull(b));
    public static Tensor operator !=(Tensor a, Tensor b) => NotNull(a).ne(NotNull(b));
    public static Tensor operator ==(Tensor a, double b) => NotNull(a).eq(b);
    public static Tensor operator !=(Tensor a, double b) => NotNull(a).ne(b);
    public static Tensor operator ==(double a, Tensor b) => NotNull(b).eq(a);
    public static Tensor operator !=(double a, Tensor b) => NotNull(b).ne(a);
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    private static Tensor NotNull(Tensor? t) => t ?? throw new ArgumentNullException(nameof(t),
        "== and != on tensors compare their elements (as in TorchSharp and PyTorch); to ask whether a tensor variable is null, write `t is null` or `t is not null`");

    // ---- in place (return this, as PyTorch) ----------------------------------------------------
    public Tensor add_(Tensor o, double alpha = 1) { N.Check(N.ts_add_(Handle, o.Handle, alpha)); return this; }
    public Tensor sub_(Tensor o) { N.Check(N.ts_add_(Handle, o.Handle, -1)); return this; }
    public Tensor mul_(Tensor o) { N.Check(N.ts_mul_(Handle, o.Handle)); return this; }
    public Tensor add_(double v) { N.Check(N.ts_add_scalar_(Handle, v, 0)); return this; }
    public Tensor add_(long v) { N.Check(N.ts_add_scalar_(Handle, v, 1)); return this; }
    public Tensor mul_(double v) { N.Check(N.ts_mul_scalar_(Handle, v)); return this; }
    public Tensor div_(double v) { N.Check(N.ts_mul_scalar_(Handle, 1.0 / v)); return this; }
    public Tensor copy_(Tensor src) { N.Check(N.ts_copy_(Handle, src.Handle)); return this; }
    public Tensor zero_() { N.Check(N.ts_zero_(Handle)); return this; }
    public Tensor fill_(double v) { N.Check(N.ts_fill_(Handle, v, 0)); return this; }
    public Tensor uniform_(double from = 0, double to = 1) { N.Check(N.ts_uniform_(Handle, from, to)); return this; }
    public Tensor normal_(double mean = 0, double std = 1) { N.Check(N.ts_normal_(Handle, mean, std)); return this; }
    public Tensor clamp_(double min, double max) { N.Check(N.ts_clamp_(Handle, min, max)); return this; }
    public Tensor masked_fill_(Tensor mask, double v) { N.Check(N.ts_masked_fill_(Handle, mask.Handle, v, 0)); return this; }
    /// <summary>Replaces the data behind this tensor (keeps the object, as PyTorch's p.data = x).</summary>
    public void set_data(Tensor data) => N.Check(N.ts_set_data(Handle, data.Handle));

    // ---- reductions ----------------------------------------------------------------------------
    public Tensor sum() => New(N.ts_sum(Handle, out var r), r);
    public Tensor sum(long dim, bool keepdim = false) => sum(new[] { dim }, keepdim);
    public Tensor sum(long[] dims, bool keepdim = false) => New(N.ts_sum_dims(Handle, dims, dims.Length, I(keepdim), out var r), r);
    public Tensor mean() => New(N.ts_mean(Handle, out var r), r);
    public Tensor mean(long[] dims, bool keepdim = false) => New(N.ts_mean_dims(Handle, dims, dims.Length, I(keepdim), out var r), r);
    public Tensor max() => New(N.ts_max(Handle, out var r), r);
    public Tensor min() => New(N.ts_min(Handle, out var r), r);
    public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
    {
        N.Check(N.ts_max_dim(Handle, dim, I(keepdim), out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }
    public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
    {
        N.Check(N.ts_min_dim(Handle, dim, I(keepdim), out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }
    public Tensor argmax(long dim, bool keepdim = false) => New(N.ts_argmax(Handle, dim, I(keepdim), out var r), r);
    public Tensor argmin(long dim, bool keepdim = false) => New(N.ts_argmin(Handle, dim, I(keepdim), out var r), r);
    public Tensor norm(double p = 2) => New(N.ts_norm(Handle, p, out var r), r);
    public Tensor norm(double p, long[] dims, bool keepdim = false) => New(N.ts_norm_dims(Handle, p, dims, dims.Length, I(keepdim), out var r), r);
    public Tensor logsumexp(long dim, bool keepdim = false) => New(N.ts_logsumexp(Handle, new[] { dim }, 1, I(keepdim), out var r), r);
    public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => New(N.ts_var(Handle, new[] { dim }, 1, I(unbiased), I(keepdim), out var r), r);
    public Tensor var(bool unbiased = true) => New(N.ts_var(Handle, AllDims(), dim(), I(unbiased), 0, out var r), r);
    public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => New(N.ts_std(Handle, new[] { dim }, 1, I(unbiased), I(keepdim), out var r), r);
    public Tensor std(bool unbiased = true) => New(N.ts_std(Handle, AllDims(), dim(), I(unbiased), 0, out var r), r);
    public Tensor all() => New(N.ts_all(Handle, out var r), r);
    public Tensor any() => New(N.ts_any(Handle, out var r), r);
    public Tensor prod() => New(N.ts_prod(Handle, out var r), r);
    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        using var t = New(N.ts_allclose_t(Handle, other.Handle, rtol, atol, out var r), r);
        return t.item<bool>();
    }
    public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        N.Check(N.ts_topk(Handle, k, dim, I(largest), I(sorted), out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }
    public (Tensor values, Tensor indexes) sort(long dim = -1, bool descending = false)
    {
        N.Check(N.ts_sort(Handle, dim, I(descending), out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }
    public Tensor argsort(long dim = -1, bool descending = false) => New(N.ts_argsort(Handle, dim, I(descending), out var r), r);
    public Tensor multinomial(long num_samples, bool replacement = false) => New(N.ts_multinomial(Handle, num_samples, I(replacement), out var r), r);
    public Tensor bincount(long minlength = 0) => New(N.ts_bincount(Handle, minlength, out var r), r);

    private long[] AllDims() => Enumerable.Range(0, dim()).Select(i => (long)i).ToArray();
}
