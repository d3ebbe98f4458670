// Linear layers on the CPU, for libtorch builds whose BLAS runs single-threaded (Debian's 1.13, as the binding sets).
//
// One of the shim's three kernels (with attention.cpp and dropout.cpp). at::linear makes one BLAS call per product,
// and with OpenBLAS kept to one thread (its own pool next to libtorch's costs more than it gives: README, "Speed
// defaults") that call runs on one core while libtorch's other threads wait. In the course's Transformers the linear
// layers are ~70% of a training step. Here every product is cut into blocks, one per libtorch thread, each block one
// BLAS call:
//
//   forward   Y = X Wᵀ + b      blocks of rows of X (and of Y)
//   backward  dX = dY W         blocks of rows of dY
//             dW = dYᵀ X        blocks of rows of dW (columns of dY), or of its columns (of X) when those are more
//             db = Σᵢ dYᵢ       libtorch's own sum
//
// X is the input flattened to (M, K), W (N, K), b (N). A block computes whole output elements, so no partial sums
// are added afterwards. When the backward itself is being recorded (a gradient of a gradient, create_graph), it is
// written with libtorch's differentiable ops instead. Other devices, dtypes and libtorch 2.x call at::linear.
#include "common.h"
#include "blas.h"
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#ifdef COURSE_CPU_KERNELS
#define COURSE_CPU_LINEAR 1

namespace {

using namespace course_blas;
using torch::autograd::AutogradContext;

// Rows per block: enough that a block is worth a thread (~64k multiply-adds); a product smaller than one block runs
// on the calling thread alone.
int64_t grain(int64_t work_per_row) { return std::max<int64_t>(1, (int64_t(1) << 16) / std::max<int64_t>(1, work_per_row)); }

struct CpuLinear : public torch::autograd::Function<CpuLinear> {
  // input (*, K), weight (N, K), bias (N) or an empty tensor for none (1.13 cannot take an undefined tensor for an
  // input); returns (*, N).
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& weight, const at::Tensor& bias) {
    const int64_t K = weight.size(1), N = weight.size(0);
    const bool has_bias = bias.numel() > 0;
    auto x = rows_contiguous(input.reshape({-1, K}));
    auto w = weight.contiguous();
    const int64_t M = x.size(0);
    auto y = at::empty({M, N}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "course_linear_forward", [&] {
      const scalar_t *x_ = x.data_ptr<scalar_t>(), *w_ = w.data_ptr<scalar_t>();
      const scalar_t* b_ = has_bias ? bias.data_ptr<scalar_t>() : nullptr;
      scalar_t* y_ = y.data_ptr<scalar_t>();
      const int64_t ldx = x.stride(0);
      at::parallel_for(0, M, grain(N * K), [&](int64_t begin, int64_t end) {  // Y = X Wᵀ + b, rows begin..end
        if (b_)
          for (int64_t i = begin; i < end; i++) std::copy(b_, b_ + N, y_ + i * N);
        matmul(false, true, (int)(end - begin), (int)N, (int)K, scalar_t(1), x_ + begin * ldx, ldx, w_, K, y_ + begin * N, N,
               scalar_t(b_ ? 1 : 0));
      });
    });
    ctx->save_for_backward({input, weight});  // the inputs themselves, so that a recorded backward reaches them
    ctx->saved_data["has_bias"] = has_bias;
    auto sizes = input.sizes().vec();
    sizes.back() = N;
    return y.view(sizes);
  }

  static torch::autograd::variable_list backward(AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto &input = saved[0], &weight = saved[1];
    const bool has_bias = ctx->saved_data["has_bias"].toBool();
    const int64_t K = weight.size(1), N = weight.size(0);
    auto x = input.reshape({-1, K});
    auto w = weight;
    const int64_t M = x.size(0);
    const bool need_x = ctx->needs_input_grad(0), need_w = ctx->needs_input_grad(1), need_b = has_bias && ctx->needs_input_grad(2);
    auto dy = grads[0].reshape({M, N});
    at::Tensor dx, dw, db;
    if (at::GradMode::is_enabled()) {  // create_graph: the same products, recorded
      if (need_x) dx = dy.mm(w);
      if (need_w) dw = dy.t().mm(x);
    } else {
      dy = rows_contiguous(dy);
      x = rows_contiguous(x);
      w = w.contiguous();
      if (need_x) dx = at::empty({M, K}, x.options());
      if (need_w) dw = at::empty({N, K}, w.options());
      AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "course_linear_backward", [&] {
        const scalar_t *x_ = x.data_ptr<scalar_t>(), *w_ = w.data_ptr<scalar_t>(), *dy_ = dy.data_ptr<scalar_t>();
        const int64_t ldx = x.stride(0), ldy = dy.stride(0);
        if (need_x) {
          scalar_t* dx_ = dx.data_ptr<scalar_t>();
          at::parallel_for(0, M, grain(N * K), [&](int64_t begin, int64_t end) {  // dX = dY W, rows begin..end
            matmul(false, false, (int)(end - begin), (int)K, (int)N, scalar_t(1), dy_ + begin * ldy, ldy, w_, K, dx_ + begin * K, K);
          });
        }
        if (need_w) {
          scalar_t* dw_ = dw.data_ptr<scalar_t>();
          if (N >= K)
            at::parallel_for(0, N, grain(M * K), [&](int64_t begin, int64_t end) {  // rows begin..end of dW = dYᵀ X
              matmul(true, false, (int)(end - begin), (int)K, (int)M, scalar_t(1), dy_ + begin, ldy, x_, ldx, dw_ + begin * K, K);
            });
          else
            at::parallel_for(0, K, grain(M * N), [&](int64_t begin, int64_t end) {  // columns begin..end of dW = dYᵀ X
              matmul(true, false, (int)N, (int)(end - begin), (int)M, scalar_t(1), dy_, ldy, x_ + begin, ldx, dw_ + begin, K);
            });
        }
      });
    }
    if (need_b) db = dy.sum(0);
    return {need_x ? dx.view(input.sizes()) : at::Tensor(), dw, db};
  }
};

// The products this kernel takes: CPU, float32 or float64 throughout, a (*, K) input with at least one row and a
// (N, K) weight; everything else goes to at::linear, which also raises libtorch's own errors for bad shapes.
bool takes(const at::Tensor& x, const at::Tensor& w, const c10::optional<at::Tensor>& b) {
  auto dtype = x.scalar_type();
  if (!x.device().is_cpu() || !w.device().is_cpu() || (dtype != at::kFloat && dtype != at::kDouble) || w.scalar_type() != dtype) return false;
  if (x.dim() < 2 || w.dim() != 2 || x.size(-1) != w.size(1) || x.numel() == 0 || w.numel() == 0) return false;
  if (b && (!b->device().is_cpu() || b->scalar_type() != dtype || b->dim() != 1 || b->size(0) != w.size(0))) return false;
  return true;
}

}  // namespace
#endif

API int ts_cpu_linear_available() {
#ifdef COURSE_CPU_LINEAR
  return 1;
#else
  return 0;
#endif
}

// y = x Wᵀ + b: the kernel above where it applies, else at::linear.
API int ts_linear(T x, T w, T b, T* out) {
  BEGIN
  auto bias = opt(b);
#ifdef COURSE_CPU_LINEAR
  if (takes(*x, *w, bias))
    *out = wrap(CpuLinear::apply(*x, *w, bias ? *bias : at::empty({0}, w->options())));
  else
#endif
    *out = wrap(at::linear(*x, *w, bias));
  END
}
