// Scaled dot-product attention on the CPU, for libtorch builds that have no fused kernel (1.13).
//
// The one kernel the shim owns. libtorch 1.13 composes attention from bmm, and its CPU bmm (without MKL) runs one
// small gemm per (batch, head) slice, serially, each behind a select and a dispatch: in a ViT step of the course
// that is 45% of the time on 2 cores. Here every slice is one task of libtorch's thread pool, doing the whole
// attention of that slice with BLAS:
//
//   forward   S = scale · Q Kᵀ + mask      P = softmax(S)      Pd = P ⊙ M / (1 − p)      O = Pd V
//   backward  dV = Pdᵀ dO    dPd = dO Vᵀ    dP = dPd ⊙ M / (1 − p)    dS = P ⊙ (dP − rowsum(dP ⊙ P))
//             dQ = scale · dS K    dK = scale · dSᵀ Q
//
// (M is the dropout keep-mask, drawn from libtorch's generator.) The weights P are a second, non-differentiable
// output, so attention maps come from the same call. On libtorch 2.x the C# side calls
// at::scaled_dot_product_attention instead, and on CUDA the composed libtorch ops, so this file is CPU-only.
#include "common.h"
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>
#include <limits>

#if defined(COURSE_WITH_BLAS) && TORCH_VERSION_MAJOR < 2
#define COURSE_CPU_ATTENTION 1

// Fortran BLAS, the library libtorch itself links (OpenBLAS on Debian); column-major.
extern "C" {
void sgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const float* alpha,
            const float* a, const int* lda, const float* b, const int* ldb, const float* beta, float* c, const int* ldc);
void dgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* b, const int* ldb, const double* beta, double* c, const int* ldc);
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

inline void blas_gemm(const char* ta, const char* tb, int m, int n, int k, float alpha, const float* a, int lda,
                      const float* b, int ldb, float beta, float* c, int ldc) {
  sgemm_(ta, tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}
inline void blas_gemm(const char* ta, const char* tb, int m, int n, int k, double alpha, const double* a, int lda,
                      const double* b, int ldb, double beta, double* c, int ldc) {
  dgemm_(ta, tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}

// Row-major C[m×n] = alpha · op(A)[m×k] · op(B)[k×n], with A, B, C dense (leading dimension = row length).
// Column-major BLAS sees a row-major matrix as its transpose, so it computes Cᵀ = op(B)ᵀ op(A)ᵀ.
template <typename scalar_t>
void matmul(bool trans_a, bool trans_b, int m, int n, int k, scalar_t alpha, const scalar_t* a, const scalar_t* b,
            scalar_t* c) {
  blas_gemm(trans_b ? "T" : "N", trans_a ? "T" : "N", n, m, k, alpha, b, trans_b ? k : n, a, trans_a ? m : k,
            scalar_t(0), c, n);
}

// One (batch, head) slice: pointers to its rows and the sizes all slices share.
struct Sizes {
  int L, S, E, Ev;  // queries, keys, query/key width, value width
};

template <typename scalar_t>
void forward_slice(const Sizes& z, scalar_t scale, bool causal, const scalar_t* q, const scalar_t* k,
                   const scalar_t* v, const scalar_t* mask, const scalar_t* keep, scalar_t* p, scalar_t* dropped,
                   scalar_t* o) {
  const scalar_t neg_inf = -std::numeric_limits<scalar_t>::infinity();
  matmul(false, true, z.L, z.S, z.E, scale, q, k, p);  // S = scale · Q Kᵀ
  for (int i = 0; i < z.L; i++) {
    scalar_t* row = p + (int64_t)i * z.S;
    if (mask) for (int j = 0; j < z.S; j++) row[j] += mask[(int64_t)i * z.S + j];
    if (causal) for (int j = i + 1; j < z.S; j++) row[j] = neg_inf;
    scalar_t top = neg_inf;
    for (int j = 0; j < z.S; j++) top = std::max(top, row[j]);
    scalar_t sum = 0;
    for (int j = 0; j < z.S; j++) sum += (row[j] = std::exp(row[j] - top));
    for (int j = 0; j < z.S; j++) row[j] /= sum;  // a row with every key masked is NaN, as in the composed ops
  }
  const scalar_t* weights = p;
  if (keep) {
    for (int64_t j = 0; j < (int64_t)z.L * z.S; j++) dropped[j] = p[j] * keep[j];
    weights = dropped;
  }
  matmul(false, false, z.L, z.Ev, z.S, scalar_t(1), weights, v, o);  // O = Pd V
}

template <typename scalar_t>
void backward_slice(const Sizes& z, scalar_t scale, const scalar_t* q, const scalar_t* k, const scalar_t* v,
                    const scalar_t* p, const scalar_t* keep, const scalar_t* dout, scalar_t* dropped, scalar_t* dp,
                    scalar_t* dq, scalar_t* dk, scalar_t* dv) {
  const int64_t LS = (int64_t)z.L * z.S;
  const scalar_t* weights = p;
  if (keep) {
    for (int64_t j = 0; j < LS; j++) dropped[j] = p[j] * keep[j];
    weights = dropped;
  }
  matmul(true, false, z.S, z.Ev, z.L, scalar_t(1), weights, dout, dv);  // dV = Pdᵀ dO
  matmul(false, true, z.L, z.S, z.Ev, scalar_t(1), dout, v, dp);        // dPd = dO Vᵀ
  if (keep) for (int64_t j = 0; j < LS; j++) dp[j] *= keep[j];          // dP
  for (int i = 0; i < z.L; i++) {                                       // dS = P ⊙ (dP − rowsum(dP ⊙ P))
    const scalar_t* prow = p + (int64_t)i * z.S;
    scalar_t* row = dp + (int64_t)i * z.S;
    scalar_t dot = 0;
    for (int j = 0; j < z.S; j++) dot += row[j] * prow[j];
    for (int j = 0; j < z.S; j++) row[j] = prow[j] * (row[j] - dot);
  }
  matmul(false, false, z.L, z.E, z.S, scale, dp, k, dq);  // dQ = scale · dS K
  matmul(true, false, z.S, z.E, z.L, scale, dp, q, dk);   // dK = scale · dSᵀ Q
}

// (*, R, C) → (N, R, C), contiguous.
at::Tensor slices(const at::Tensor& t) { return t.reshape({-1, t.size(-2), t.size(-1)}).contiguous(); }

struct CpuAttention : public torch::autograd::Function<CpuAttention> {
  // q (*, L, E), k (*, S, E), v (*, S, Ev); mask: additive, (N, L, S); keep: the dropout keep-mask scaled by
  // 1/(1 − p), (N, L, S). Returns O (*, L, Ev) and the weights P (*, L, S). The masks are optionals, so that
  // autograd does not take them for inputs (1.13 cannot record an undefined tensor as one).
  static variable_list forward(AutogradContext* ctx, const at::Tensor& query, const at::Tensor& key,
                               const at::Tensor& value, const c10::optional<at::Tensor>& mask_or_none,
                               const c10::optional<at::Tensor>& keep_or_none, bool causal) {
    const at::Tensor mask = mask_or_none.value_or(at::Tensor()), keep = keep_or_none.value_or(at::Tensor());
    auto q = slices(query), k = slices(key), v = slices(value);
    const int64_t N = q.size(0);
    const Sizes z{(int)q.size(1), (int)k.size(1), (int)q.size(2), (int)v.size(2)};
    auto p = at::empty({N, z.L, z.S}, q.options());
    auto o = at::empty({N, z.L, z.Ev}, q.options());
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "course_attention_forward", [&] {
      const scalar_t scale = scalar_t(1) / std::sqrt(scalar_t(z.E));
      const int64_t LS = (int64_t)z.L * z.S;
      at::parallel_for(0, N, 1, [&](int64_t begin, int64_t end) {
        std::vector<scalar_t> dropped(keep.defined() ? LS : 0);
        for (int64_t n = begin; n < end; n++)
          forward_slice<scalar_t>(z, scale, causal, q.data_ptr<scalar_t>() + n * z.L * z.E,
                                  k.data_ptr<scalar_t>() + n * z.S * z.E, v.data_ptr<scalar_t>() + n * z.S * z.Ev,
                                  mask.defined() ? mask.data_ptr<scalar_t>() + n * LS : nullptr,
                                  keep.defined() ? keep.data_ptr<scalar_t>() + n * LS : nullptr,
                                  p.data_ptr<scalar_t>() + n * LS, dropped.data(),
                                  o.data_ptr<scalar_t>() + n * z.L * z.Ev);
      });
    });
    ctx->save_for_backward({q, k, v, p});
    if (keep.defined()) ctx->saved_data["keep"] = keep;
    auto lead = query.sizes().slice(0, query.dim() - 2).vec();
    auto o_shape = lead, p_shape = lead;
    o_shape.insert(o_shape.end(), {z.L, z.Ev});
    p_shape.insert(p_shape.end(), {z.L, z.S});
    auto weights = p.view(p_shape);
    ctx->mark_non_differentiable({weights});
    ctx->saved_data["lead"] = lead;
    return {o.view(o_shape), weights};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto &q = saved[0], &k = saved[1], &v = saved[2], &p = saved[3];
    const at::Tensor keep = ctx->saved_data.count("keep") ? ctx->saved_data["keep"].toTensor() : at::Tensor();
    const int64_t N = q.size(0);
    const Sizes z{(int)q.size(1), (int)k.size(1), (int)q.size(2), (int)v.size(2)};
    auto dout = grads[0].reshape({N, z.L, z.Ev}).contiguous();
    auto dq = at::empty_like(q), dk = at::empty_like(k), dv = at::empty_like(v);
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "course_attention_backward", [&] {
      const scalar_t scale = scalar_t(1) / std::sqrt(scalar_t(z.E));
      const int64_t LS = (int64_t)z.L * z.S;
      at::parallel_for(0, N, 1, [&](int64_t begin, int64_t end) {
        std::vector<scalar_t> dropped(keep.defined() ? LS : 0), dp(LS);
        for (int64_t n = begin; n < end; n++)
          backward_slice<scalar_t>(z, scale, q.data_ptr<scalar_t>() + n * z.L * z.E,
                                   k.data_ptr<scalar_t>() + n * z.S * z.E, v.data_ptr<scalar_t>() + n * z.S * z.Ev,
                                   p.data_ptr<scalar_t>() + n * LS,
                                   keep.defined() ? keep.data_ptr<scalar_t>() + n * LS : nullptr,
                                   dout.data_ptr<scalar_t>() + n * z.L * z.Ev, dropped.data(), dp.data(),
                                   dq.data_ptr<scalar_t>() + n * z.L * z.E, dk.data_ptr<scalar_t>() + n * z.S * z.E,
                                   dv.data_ptr<scalar_t>() + n * z.S * z.Ev);
      });
    });
    auto lead = ctx->saved_data["lead"].toIntVector();
    auto shaped = [&](const at::Tensor& t) {
      auto s = lead;
      s.insert(s.end(), {t.size(1), t.size(2)});
      return t.view(s);
    };
    return {shaped(dq), shaped(dk), shaped(dv), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

}  // namespace
#endif

// ---- libtorch 2.x: its own fused kernel (flash or memory-efficient attention, CPU and CUDA) --------------
API int ts_fused_attention_available() { return TORCH_VERSION_MAJOR >= 2 ? 1 : 0; }

API int ts_scaled_dot_product_attention(T q, T k, T v, T mask, double dropout, int causal, T* out) {
  BEGIN
#if TORCH_VERSION_MAJOR >= 2
  *out = wrap(at::scaled_dot_product_attention(*q, *k, *v, opt(mask), dropout, causal != 0));
#else
  TORCH_CHECK(false, "fused scaled_dot_product_attention needs libtorch 2.0 or later (this is ", TORCH_VERSION, ")");
#endif
  END
}

// ---- libtorch 1.x on the CPU: the kernel above ------------------------------------------------------------
API int ts_cpu_attention_available() {
#ifdef COURSE_CPU_ATTENTION
  return 1;
#else
  return 0;
#endif
}

// softmax(q kᵀ / √E + mask) v on the CPU, with its own backward; also returns the weights (non-differentiable).
// mask: bool (true = attend) or additive float, broadcastable to (*, L, S); dropout drawn when dropout > 0.
API int ts_cpu_attention(T q, T k, T v, T mask, double dropout, int causal, T* out, T* weights) {
  BEGIN
#ifdef COURSE_CPU_ATTENTION
  TORCH_CHECK(q->device().is_cpu() && k->device().is_cpu() && v->device().is_cpu(), "cpu_attention: tensors must be on the CPU");
  TORCH_CHECK(q->scalar_type() == k->scalar_type() && q->scalar_type() == v->scalar_type(),
              "cpu_attention: query, key and value must have one dtype (got ", q->scalar_type(), ", ", k->scalar_type(), ", ", v->scalar_type(), ")");
  TORCH_CHECK(q->scalar_type() == at::kFloat || q->scalar_type() == at::kDouble, "cpu_attention: float32 or float64 only (got ", q->scalar_type(), ")");
  TORCH_CHECK(q->dim() >= 2 && k->dim() == q->dim() && v->dim() == q->dim(), "cpu_attention: query, key and value need the same number of dimensions (at least 2)");
  TORCH_CHECK(q->sizes().slice(0, q->dim() - 2) == k->sizes().slice(0, k->dim() - 2) &&
              q->sizes().slice(0, q->dim() - 2) == v->sizes().slice(0, v->dim() - 2),
              "cpu_attention: query ", q->sizes(), ", key ", k->sizes(), " and value ", v->sizes(), " must share their leading dimensions");
  TORCH_CHECK(q->size(-1) == k->size(-1), "cpu_attention: query width ", q->size(-1), " differs from key width ", k->size(-1));
  TORCH_CHECK(k->size(-2) == v->size(-2), "cpu_attention: ", k->size(-2), " keys but ", v->size(-2), " values");
  TORCH_CHECK(dropout >= 0 && dropout < 1, "cpu_attention: dropout must be in [0, 1), got ", dropout);
  const int64_t L = q->size(-2), S = k->size(-2);
  auto lead = q->sizes().slice(0, q->dim() - 2).vec();
  auto full = lead;
  full.insert(full.end(), {L, S});
  c10::optional<at::Tensor> additive, keep;
  if (mask) {
    additive = mask->scalar_type() == at::kBool
                   ? at::where(*mask, at::scalar_tensor(0.0, q->options()),
                               at::scalar_tensor(-std::numeric_limits<double>::infinity(), q->options()))
                   : mask->to(q->scalar_type());
    additive = additive->expand(full).reshape({-1, L, S}).contiguous();
  }
  if (dropout > 0) keep = at::empty({q->numel() / (L * q->size(-1)), L, S}, q->options()).bernoulli_(1 - dropout).div_(1 - dropout);
  auto r = CpuAttention::apply(*q, *k, *v, additive, keep, causal != 0);
  *out = wrap(r[0]);
  *weights = wrap(r[1]);
#else
  TORCH_CHECK(false, "cpu_attention is built only against libtorch 1.x with a BLAS (this is ", TORCH_VERSION, ")");
#endif
  END
}
