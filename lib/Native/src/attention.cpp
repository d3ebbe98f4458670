// Scaled dot-product attention on the CPU, for libtorch builds that have no fused kernel (1.13).
//
// One of the shim's three kernels (with dropout.cpp and linear.cpp). libtorch 1.13 composes attention from bmm, and
// its CPU bmm (without MKL) runs one small gemm per (batch, head) slice, serially, each behind a select and a
// dispatch: in a ViT step of the course that is 45% of the time on 2 cores. Here the products of all slices are
// shared out over libtorch's thread pool, one BLAS call per slice, and the softmax is libtorch's vectorised kernel:
//
//   forward   S = scale · Q Kᵀ + mask      P = softmax(S)      Pd = P ⊙ M / (1 − p)      O = Pd V
//   backward  dV = Pdᵀ dO    dPd = dO Vᵀ    dP = dPd ⊙ M / (1 − p)    dS = P ⊙ (dP − rowsum(dP ⊙ P))
//             dQ = scale · dS K    dK = scale · dSᵀ Q
//
// (M is the dropout keep-mask, seeded from libtorch's generator.) The weights P are a second, non-differentiable
// output, so attention maps come from the same call. On libtorch 2.x the C# side calls
// at::scaled_dot_product_attention instead, and on CUDA the composed libtorch ops, so this file is CPU-only.
#include "common.h"
#include "blas.h"
#include "keep_mask.h"
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>
#include <algorithm>
#include <limits>
#include <numeric>

#ifdef COURSE_CPU_KERNELS
#define COURSE_CPU_ATTENTION 1

namespace {

using namespace course_blas;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The sizes every (batch, head) slice shares.
struct Sizes {
  int L, S, E, Ev;  // queries, keys, query/key width, value width
  int64_t LS() const { return (int64_t)L * S; }
  // Slices per block of parallel_for. A BLAS call has a fixed cost that grows when two threads call OpenBLAS at once,
  // and with small slices that outweighs the products (measured with one sgemm per slice): 512 slices of 17 × 17 × 16
  // (chapter 5's ViT) took 0.15 ms on one thread and 0.42 ms on two, 128 slices of 64 × 64 × 32 (chapter 4's
  // character Transformer) 0.51 ms on one and 0.37 ms on two. So slices under ~32k multiply-adds per product run on
  // the calling thread, larger ones are shared.
  int64_t grain(int64_t slices) const { return (int64_t)L * S * std::max(E, Ev) >= (1 << 15) ? 1 : slices; }
};

// The (R × C) matrices of a (*, R, C) tensor whose rows are contiguous, whatever the order of the other dimensions:
// the heads of a (B, T, H, d) projection seen as (B, H, T, d) are read where they lie, with no copy.
template <typename scalar_t>
struct Slices {
  scalar_t* base;
  std::vector<int64_t> offsets;  // of slice n, n running over the leading dimensions in order
  int64_t ld;                    // from one row to the next

  explicit Slices(const at::Tensor& t) : base(t.data_ptr<scalar_t>()), offsets(1, 0), ld(t.stride(-2)) {
    TORCH_INTERNAL_ASSERT(t.stride(-1) == 1);
    for (int64_t d = 0; d < t.dim() - 2; d++) {
      std::vector<int64_t> next;
      next.reserve(offsets.size() * t.size(d));
      for (int64_t o : offsets)
        for (int64_t i = 0; i < t.size(d); i++) next.push_back(o + i * t.stride(d));
      offsets = std::move(next);
    }
  }
  scalar_t* operator[](int64_t n) const { return base + offsets[n]; }
};

// A new tensor of t's shape, its last size replaced by cols, laid out in t's order of dimensions in memory (so the
// output of heads read from a (B, T, H, d) projection is written as (B, T, H, d), and merging the heads costs nothing).
at::Tensor like(const at::Tensor& t, int64_t cols) {
  std::vector<int64_t> order(t.dim());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end() - 1, [&](int64_t a, int64_t b) { return t.stride(a) > t.stride(b); });
  std::vector<int64_t> sizes, back(t.dim());
  for (size_t i = 0; i < order.size(); i++) {
    sizes.push_back(order[i] == t.dim() - 1 ? cols : t.size(order[i]));
    back[order[i]] = (int64_t)i;
  }
  return at::empty(sizes, t.options()).permute(back);
}

// The dropped weights Pd = P ⊙ M / (1 − p) of slice n of the (N, L, S) weights, drawn into buffer (P itself
// without dropout).
template <typename scalar_t>
const scalar_t* dropped(const KeepMask& keep, const scalar_t* p, int64_t n, int64_t LS, std::vector<scalar_t>& buffer) {
  if (!keep.on()) return p;
  buffer.resize(LS);
  keep.apply(n * LS, LS, p, buffer.data());
  return buffer.data();
}

// Three passes, each over all slices: the products are one BLAS call per slice, in parallel; the softmax and its
// backward are libtorch's own vectorised kernels over the whole (N, L, S) block.
struct CpuAttention : public torch::autograd::Function<CpuAttention> {
  // q (*, L, E), k (*, S, E), v (*, S, Ev); mask: additive, (N, L, S). Returns O (*, L, Ev) and the weights P
  // (*, L, S). The mask is an optional, so that autograd does not take it for an input (1.13 cannot record an
  // undefined tensor as one).
  static variable_list forward(AutogradContext* ctx, const at::Tensor& query, const at::Tensor& key,
                               const at::Tensor& value, const c10::optional<at::Tensor>& mask, double dropout,
                               bool causal) {
    auto q = rows_contiguous(query), k = rows_contiguous(key), v = rows_contiguous(value);
    const int64_t N = q.numel() / (q.size(-2) * q.size(-1));
    const Sizes z{(int)q.size(-2), (int)k.size(-2), (int)q.size(-1), (int)v.size(-1)};
    const KeepMask keep{dropout > 0 ? KeepMask::draw_seed() : 0, dropout};
    auto scores = at::empty({N, z.L, z.S}, q.options());
    auto o = like(q, z.Ev);
    at::Tensor p;
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "course_attention_forward", [&] {
      const scalar_t scale = scalar_t(1) / std::sqrt(scalar_t(z.E));
      const scalar_t neg_inf = -std::numeric_limits<scalar_t>::infinity();
      const Slices<scalar_t> Q(q), K(k), V(v), O(o);
      scalar_t* s_ = scores.data_ptr<scalar_t>();
      at::parallel_for(0, N, z.grain(N), [&](int64_t begin, int64_t end) {  // S = scale · Q Kᵀ + mask
        for (int64_t n = begin; n < end; n++) {
          scalar_t* s = s_ + n * z.LS();
          matmul(false, true, z.L, z.S, z.E, scale, Q[n], Q.ld, K[n], K.ld, s, z.S);
          if (mask) {
            const scalar_t* m = mask->data_ptr<scalar_t>() + n * z.LS();
            for (int64_t j = 0; j < z.LS(); j++) s[j] += m[j];
          }
          if (causal)
            for (int i = 0; i < z.L; i++) std::fill(s + (int64_t)i * z.S + std::min(i + 1, z.S), s + (int64_t)(i + 1) * z.S, neg_inf);
        }
      });
      p = at::_softmax(scores, -1, false);  // a row with every key masked is NaN, as in the composed ops
      const scalar_t* p_ = p.data_ptr<scalar_t>();
      at::parallel_for(0, N, z.grain(N), [&](int64_t begin, int64_t end) {  // O = Pd V
        std::vector<scalar_t> buffer;
        for (int64_t n = begin; n < end; n++)
          matmul(false, false, z.L, z.Ev, z.S, scalar_t(1), dropped(keep, p_ + n * z.LS(), n, z.LS(), buffer), z.S, V[n], V.ld, O[n], O.ld);
      });
    });
    ctx->save_for_backward({q, k, v, p});
    ctx->saved_data["seed"] = (int64_t)keep.seed;
    ctx->saved_data["dropout"] = dropout;
    auto lead = query.sizes().slice(0, query.dim() - 2).vec();
    auto weights = p.view(shape(lead, z.L, z.S));
    ctx->mark_non_differentiable({weights});
    return {o, weights};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto &q = saved[0], &k = saved[1], &v = saved[2], &p = saved[3];
    const KeepMask keep{(uint64_t)ctx->saved_data["seed"].toInt(), ctx->saved_data["dropout"].toDouble()};
    const int64_t N = p.size(0);
    const Sizes z{(int)q.size(-2), (int)k.size(-2), (int)q.size(-1), (int)v.size(-1)};
    auto dout = rows_contiguous(grads[0]);
    auto dq = like(q, z.E), dk = like(k, z.E), dv = like(v, z.Ev), dp = at::empty_like(p);
    at::Tensor ds;
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "course_attention_backward", [&] {
      const scalar_t scale = scalar_t(1) / std::sqrt(scalar_t(z.E));
      const Slices<scalar_t> Q(q), K(k), V(v), dO(dout), dQ(dq), dK(dk), dV(dv);
      const scalar_t* p_ = p.data_ptr<scalar_t>();
      scalar_t* dp_ = dp.data_ptr<scalar_t>();
      at::parallel_for(0, N, z.grain(N), [&](int64_t begin, int64_t end) {  // dV = Pdᵀ dO, dP = (dO Vᵀ) ⊙ M / (1 − p)
        std::vector<scalar_t> buffer;
        for (int64_t n = begin; n < end; n++) {
          matmul(true, false, z.S, z.Ev, z.L, scalar_t(1), dropped(keep, p_ + n * z.LS(), n, z.LS(), buffer), z.S, dO[n], dO.ld, dV[n], dV.ld);
          scalar_t* g = dp_ + n * z.LS();
          matmul(false, true, z.L, z.S, z.Ev, scalar_t(1), dO[n], dO.ld, V[n], V.ld, g, z.S);
          if (keep.on()) keep.apply(n * z.LS(), z.LS(), g, g);
        }
      });
      ds = at::_softmax_backward_data(dp, p, -1, p.scalar_type());  // dS = P ⊙ (dP − rowsum(dP ⊙ P))
      const scalar_t* ds_ = ds.data_ptr<scalar_t>();
      at::parallel_for(0, N, z.grain(N), [&](int64_t begin, int64_t end) {  // dQ = scale · dS K, dK = scale · dSᵀ Q
        for (int64_t n = begin; n < end; n++) {
          matmul(false, false, z.L, z.E, z.S, scale, ds_ + n * z.LS(), z.S, K[n], K.ld, dQ[n], dQ.ld);
          matmul(true, false, z.S, z.E, z.L, scale, ds_ + n * z.LS(), z.S, Q[n], Q.ld, dK[n], dK.ld);
        }
      });
    });
    return {dq, dk, dv, at::Tensor(), at::Tensor(), at::Tensor()};
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
