// Scaled dot-product attention on the CPU, for libtorch builds that have no fused kernel (1.13).
//
// The one kernel the shim owns. libtorch 1.13 composes attention from bmm, and its CPU bmm (without MKL) runs one
// small gemm per (batch, head) slice, serially, each behind a select and a dispatch: in a ViT step of the course
// that is 45% of the time on 2 cores. Here the products of all slices are shared out over libtorch's thread pool,
// one BLAS call per slice, and the softmax is libtorch's vectorised kernel:
//
//   forward   S = scale · Q Kᵀ + mask      P = softmax(S)      Pd = P ⊙ M / (1 − p)      O = Pd V
//   backward  dV = Pdᵀ dO    dPd = dO Vᵀ    dP = dPd ⊙ M / (1 − p)    dS = P ⊙ (dP − rowsum(dP ⊙ P))
//             dQ = scale · dS K    dK = scale · dSᵀ Q
//
// (M is the dropout keep-mask, seeded from libtorch's generator.) The weights P are a second, non-differentiable
// output, so attention maps come from the same call. On libtorch 2.x the C# side calls
// at::scaled_dot_product_attention instead, and on CUDA the composed libtorch ops, so this file is CPU-only.
#include "common.h"
#include "keep_mask.h"
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

// The sizes every (batch, head) slice shares.
struct Sizes {
  int L, S, E, Ev;  // queries, keys, query/key width, value width
  int64_t LS() const { return (int64_t)L * S; }
};

// The row pointers of slice n of a (N, R, C) contiguous tensor.
template <typename scalar_t>
scalar_t* slice(const at::Tensor& t, int64_t n) { return t.data_ptr<scalar_t>() + n * t.size(1) * t.size(2); }

// The dropped weights Pd = P ⊙ M / (1 − p) of slice n, drawn into buffer (P itself without dropout).
template <typename scalar_t>
const scalar_t* dropped(const KeepMask& keep, const at::Tensor& p, int64_t n, std::vector<scalar_t>& buffer) {
  const scalar_t* weights = slice<scalar_t>(p, n);
  if (!keep.on()) return weights;
  const int64_t LS = p.size(1) * p.size(2);
  buffer.resize(LS);
  keep.apply(n * LS, LS, weights, buffer.data());
  return buffer.data();
}

// (*, R, C) → (N, R, C), contiguous.
at::Tensor slices(const at::Tensor& t) { return t.reshape({-1, t.size(-2), t.size(-1)}).contiguous(); }

// Three passes, each over all slices: the products are one BLAS call per slice, in parallel; the softmax and its
// backward are libtorch's own vectorised kernels over the whole (N, L, S) block.
struct CpuAttention : public torch::autograd::Function<CpuAttention> {
  // q (*, L, E), k (*, S, E), v (*, S, Ev); mask: additive, (N, L, S). Returns O (*, L, Ev) and the weights P
  // (*, L, S). The mask is an optional, so that autograd does not take it for an input (1.13 cannot record an
  // undefined tensor as one).
  static variable_list forward(AutogradContext* ctx, const at::Tensor& query, const at::Tensor& key,
                               const at::Tensor& value, const c10::optional<at::Tensor>& mask, double dropout,
                               bool causal) {
    auto q = slices(query), k = slices(key), v = slices(value);
    const int64_t N = q.size(0);
    const Sizes z{(int)q.size(1), (int)k.size(1), (int)q.size(2), (int)v.size(2)};
    const KeepMask keep{dropout > 0 ? KeepMask::draw_seed() : 0, dropout};
    auto scores = at::empty({N, z.L, z.S}, q.options());
    auto o = at::empty({N, z.L, z.Ev}, q.options());
    at::Tensor p;
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "course_attention_forward", [&] {
      const scalar_t scale = scalar_t(1) / std::sqrt(scalar_t(z.E));
      const scalar_t neg_inf = -std::numeric_limits<scalar_t>::infinity();
      at::parallel_for(0, N, 1, [&](int64_t begin, int64_t end) {  // S = scale · Q Kᵀ + mask
        for (int64_t n = begin; n < end; n++) {
          scalar_t* s = slice<scalar_t>(scores, n);
          matmul(false, true, z.L, z.S, z.E, scale, slice<scalar_t>(q, n), slice<scalar_t>(k, n), s);
          if (mask) {
            const scalar_t* m = slice<scalar_t>(*mask, n);
            for (int64_t j = 0; j < z.LS(); j++) s[j] += m[j];
          }
          if (causal)
            for (int i = 0; i < z.L; i++) std::fill(s + (int64_t)i * z.S + std::min(i + 1, z.S), s + (int64_t)(i + 1) * z.S, neg_inf);
        }
      });
      p = at::_softmax(scores, -1, false);  // a row with every key masked is NaN, as in the composed ops
      at::parallel_for(0, N, 1, [&](int64_t begin, int64_t end) {  // O = Pd V
        std::vector<scalar_t> buffer;
        for (int64_t n = begin; n < end; n++)
          matmul(false, false, z.L, z.Ev, z.S, scalar_t(1), dropped(keep, p, n, buffer), slice<scalar_t>(v, n), slice<scalar_t>(o, n));
      });
    });
    ctx->save_for_backward({q, k, v, p});
    ctx->saved_data["seed"] = (int64_t)keep.seed;
    ctx->saved_data["dropout"] = dropout;
    auto lead = query.sizes().slice(0, query.dim() - 2).vec();
    ctx->saved_data["lead"] = lead;
    auto weights = p.view(shape(lead, z.L, z.S));
    ctx->mark_non_differentiable({weights});
    return {o.view(shape(lead, z.L, z.Ev)), weights};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto &q = saved[0], &k = saved[1], &v = saved[2], &p = saved[3];
    const KeepMask keep{(uint64_t)ctx->saved_data["seed"].toInt(), ctx->saved_data["dropout"].toDouble()};
    const int64_t N = q.size(0);
    const Sizes z{(int)q.size(1), (int)k.size(1), (int)q.size(2), (int)v.size(2)};
    auto dout = grads[0].reshape({N, z.L, z.Ev}).contiguous();
    auto dq = at::empty_like(q), dk = at::empty_like(k), dv = at::empty_like(v), dp = at::empty_like(p);
    at::Tensor ds;
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "course_attention_backward", [&] {
      const scalar_t scale = scalar_t(1) / std::sqrt(scalar_t(z.E));
      at::parallel_for(0, N, 1, [&](int64_t begin, int64_t end) {  // dV = Pdᵀ dO, dP = (dO Vᵀ) ⊙ M / (1 − p)
        std::vector<scalar_t> buffer;
        for (int64_t n = begin; n < end; n++) {
          matmul(true, false, z.S, z.Ev, z.L, scalar_t(1), dropped(keep, p, n, buffer), slice<scalar_t>(dout, n), slice<scalar_t>(dv, n));
          scalar_t* g = slice<scalar_t>(dp, n);
          matmul(false, true, z.L, z.S, z.Ev, scalar_t(1), slice<scalar_t>(dout, n), slice<scalar_t>(v, n), g);
          if (keep.on()) keep.apply(n * z.LS(), z.LS(), g, g);
        }
      });
      ds = at::_softmax_backward_data(dp, p, -1, p.scalar_type());  // dS = P ⊙ (dP − rowsum(dP ⊙ P))
      at::parallel_for(0, N, 1, [&](int64_t begin, int64_t end) {  // dQ = scale · dS K, dK = scale · dSᵀ Q
        for (int64_t n = begin; n < end; n++) {
          matmul(false, false, z.L, z.E, z.S, scale, slice<scalar_t>(ds, n), slice<scalar_t>(k, n), slice<scalar_t>(dq, n));
          matmul(true, false, z.S, z.E, z.L, scale, slice<scalar_t>(ds, n), slice<scalar_t>(q, n), slice<scalar_t>(dk, n));
        }
      });
    });
    auto lead = ctx->saved_data["lead"].toIntVector();
    return {dq.view(shape(lead, z.L, z.E)), dk.view(shape(lead, z.S, z.E)), dv.view(shape(lead, z.S, z.Ev)),
            at::Tensor(), at::Tensor(), at::Tensor()};
  }

  static std::vector<int64_t> shape(std::vector<int64_t> lead, int64_t rows, int64_t cols) {
    lead.insert(lead.end(), {rows, cols});
    return lead;
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
  c10::optional<at::Tensor> additive;
  if (mask) {
    additive = mask->scalar_type() == at::kBool
                   ? at::where(*mask, at::scalar_tensor(0.0, q->options()),
                               at::scalar_tensor(-std::numeric_limits<double>::infinity(), q->options()))
                   : mask->to(q->scalar_type());
    additive = additive->expand(full).reshape({-1, L, S}).contiguous();
  }
  auto r = CpuAttention::apply(*q, *k, *v, additive, dropout, causal != 0);
  *out = wrap(r[0]);
  *weights = wrap(r[1]);
#else
  TORCH_CHECK(false, "cpu_attention is built only against libtorch 1.x with a BLAS (this is ", TORCH_VERSION, ")");
#endif
  END
}
