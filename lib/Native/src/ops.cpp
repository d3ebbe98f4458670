// Tensor math: elementwise, comparisons, in-place updates, reductions and linear algebra.
#include "common.h"

// ---- unary ------------------------------------------------------------------------------------
#define UNARY(name) OP(name, (T a, T* out), a->name())
UNARY(neg) UNARY(exp) UNARY(log) UNARY(sqrt) UNARY(rsqrt) UNARY(tanh) UNARY(sigmoid) UNARY(relu)
UNARY(abs) UNARY(sin) UNARY(cos) UNARY(floor) UNARY(ceil) UNARY(round) UNARY(sign) UNARY(square)
UNARY(erf) UNARY(reciprocal) UNARY(logical_not) UNARY(bitwise_not) UNARY(log1p) UNARY(expm1) UNARY(isnan) UNARY(isinf)
UNARY(t)
OP(gelu, (T a, int tanh_approx, T* out), at::gelu(*a, tanh_approx ? "tanh" : "none"))
OP(silu, (T a, T* out), at::silu(*a))
OP(leaky_relu, (T a, double slope, T* out), at::leaky_relu(*a, slope))
OP(softmax, (T a, int64_t dim, T* out), a->softmax(dim))
OP(log_softmax, (T a, int64_t dim, T* out), a->log_softmax(dim))
OP(clamp, (T a, double lo, int has_lo, double hi, int has_hi, T* out),
   at::clamp(*a, has_lo ? c10::optional<at::Scalar>(lo) : c10::nullopt,
             has_hi ? c10::optional<at::Scalar>(hi) : c10::nullopt))
OP(cumsum, (T a, int64_t dim, T* out), a->cumsum(dim))

// ---- binary (tensor, tensor) ------------------------------------------------------------------
OP(add, (T a, T b, double alpha, T* out), a->add(*b, alpha_for(*a, alpha)))
OP(sub, (T a, T b, double alpha, T* out), a->sub(*b, alpha_for(*a, alpha)))
#define BINARY(name) OP(name, (T a, T b, T* out), a->name(*b))
BINARY(mul) BINARY(div) BINARY(pow) BINARY(matmul) BINARY(mm) BINARY(bmm) BINARY(eq) BINARY(ne)
BINARY(lt) BINARY(le) BINARY(gt) BINARY(ge) BINARY(maximum) BINARY(minimum) BINARY(logical_and)
BINARY(logical_or) BINARY(remainder) BINARY(atan2)
OP(outer, (T a, T b, T* out), at::outer(*a, *b))
OP(addmm, (T c, T a, T b, double beta, double alpha, T* out), at::addmm(*c, *a, *b, beta, alpha))
OP(where, (T cond, T a, T b, T* out), at::where(*cond, *a, *b))

// ---- binary (tensor, scalar) ------------------------------------------------------------------
#define SCALAR(name, expr) OP(name##_scalar, (T a, double v, int integral, T* out), expr)
SCALAR(add, a->add(scalar(v, integral)))
SCALAR(sub, a->sub(scalar(v, integral)))
SCALAR(rsub, at::rsub(*a, scalar(v, integral)))
SCALAR(mul, a->mul(scalar(v, integral)))
SCALAR(div, a->div(scalar(v, integral)))
SCALAR(rdiv, a->reciprocal().mul(scalar(v, integral)))
SCALAR(pow, a->pow(scalar(v, integral)))
SCALAR(rpow, at::pow(scalar(v, integral), *a))
SCALAR(remainder, a->remainder(scalar(v, integral)))
SCALAR(eq, a->eq(scalar(v, integral)))
SCALAR(ne, a->ne(scalar(v, integral)))
SCALAR(lt, a->lt(scalar(v, integral)))
SCALAR(le, a->le(scalar(v, integral)))
SCALAR(gt, a->gt(scalar(v, integral)))
SCALAR(ge, a->ge(scalar(v, integral)))
OP(masked_fill, (T a, T mask, double v, int integral, T* out), a->masked_fill(*mask, scalar(v, integral)))

// ---- in place (return status only) ------------------------------------------------------------
#define INPLACE(name, params, stmt) API int ts_##name params { BEGIN stmt; END }
INPLACE(add_, (T a, T b, double alpha), a->add_(*b, alpha_for(*a, alpha)))
INPLACE(mul_, (T a, T b), a->mul_(*b))
INPLACE(add_scalar_, (T a, double v, int integral), a->add_(scalar(v, integral)))
INPLACE(mul_scalar_, (T a, double v), a->mul_(v))
INPLACE(copy_, (T a, T src), a->copy_(*src))
INPLACE(zero_, (T a), a->zero_())
INPLACE(fill_, (T a, double v, int integral), a->fill_(scalar(v, integral)))
INPLACE(uniform_, (T a, double lo, double hi), a->uniform_(lo, hi))
INPLACE(normal_, (T a, double mean, double std), a->normal_(mean, std))
INPLACE(clamp_, (T a, double lo, double hi), a->clamp_(lo, hi))
INPLACE(masked_fill_, (T a, T mask, double v, int integral), a->masked_fill_(*mask, scalar(v, integral)))
INPLACE(index_put_, (T a, const T* idx, int n, T v), {
  c10::List<c10::optional<at::Tensor>> l;
  for (int i = 0; i < n; i++) l.push_back(idx[i] ? c10::optional<at::Tensor>(*idx[i]) : c10::nullopt);
  a->index_put_(l, *v);
})

// ---- reductions -------------------------------------------------------------------------------
OP(sum, (T a, T* out), a->sum())
OP(sum_dims, (T a, const int64_t* d, int n, int keep, T* out), a->sum(dims(d, n), keep != 0))
OP(mean, (T a, T* out), a->mean())
OP(mean_dims, (T a, const int64_t* d, int n, int keep, T* out), a->mean(dims(d, n), keep != 0))
OP(max, (T a, T* out), a->max())
OP(min, (T a, T* out), a->min())
API int ts_max_dim(T a, int64_t dim, int keep, T* values, T* indices) {
  BEGIN auto r = a->max(dim, keep != 0); *values = wrap(std::get<0>(r)); *indices = wrap(std::get<1>(r)); END
}
API int ts_min_dim(T a, int64_t dim, int keep, T* values, T* indices) {
  BEGIN auto r = a->min(dim, keep != 0); *values = wrap(std::get<0>(r)); *indices = wrap(std::get<1>(r)); END
}
OP(argmax, (T a, int64_t dim, int keep, T* out), a->argmax(dim, keep != 0))
OP(argmin, (T a, int64_t dim, int keep, T* out), a->argmin(dim, keep != 0))
OP(norm, (T a, double p, T* out), a->norm(p))
OP(norm_dims, (T a, double p, const int64_t* d, int n, int keep, T* out), a->norm(p, dims(d, n), keep != 0))
OP(logsumexp, (T a, const int64_t* d, int n, int keep, T* out), a->logsumexp(dims(d, n), keep != 0))
OP(var, (T a, const int64_t* d, int n, int unbiased, int keep, T* out),
   at::var(*a, at::OptionalIntArrayRef(dims(d, n)), unbiased != 0, keep != 0))
OP(std, (T a, const int64_t* d, int n, int unbiased, int keep, T* out),
   at::std(*a, at::OptionalIntArrayRef(dims(d, n)), unbiased != 0, keep != 0))
OP(all, (T a, T* out), a->all())
OP(any, (T a, T* out), a->any())
OP(prod, (T a, T* out), a->prod())
OP(allclose_t, (T a, T b, double rtol, double atol, T* out), at::isclose(*a, *b, rtol, atol).all())
API int ts_topk(T a, int64_t k, int64_t dim, int largest, int sorted, T* values, T* indices) {
  BEGIN auto r = a->topk(k, dim, largest != 0, sorted != 0); *values = wrap(std::get<0>(r)); *indices = wrap(std::get<1>(r)); END
}
API int ts_sort(T a, int64_t dim, int descending, T* values, T* indices) {
  BEGIN auto r = a->sort(dim, descending != 0); *values = wrap(std::get<0>(r)); *indices = wrap(std::get<1>(r)); END
}
OP(argsort, (T a, int64_t dim, int descending, T* out), a->argsort(dim, descending != 0))
OP(multinomial, (T a, int64_t n, int replacement, T* out), a->multinomial(n, replacement != 0))
OP(bincount, (T a, int64_t minlength, T* out), a->bincount(c10::nullopt, minlength))
