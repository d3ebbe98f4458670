// Dropout on the CPU with a counter-based keep-mask (keep_mask.h), for libtorch builds whose bernoulli_ is serial.
//
// One of the shim's three kernels (with attention.cpp and linear.cpp). y = x ⊙ M / (1 − p) and dy/dx = M / (1 − p), with M drawn again from the seed in
// the backward pass (nothing is stored). Same definition as at::dropout; only the random numbers differ, and they
// still follow torch.manual_seed. Shared out over libtorch's thread pool.
#include "common.h"
#include "keep_mask.h"
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

at::Tensor masked(const at::Tensor& x, const KeepMask& keep) {
  auto in = x.contiguous();
  auto out = at::empty_like(in);
  AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "course_dropout", [&] {
    const scalar_t* src = in.data_ptr<scalar_t>();
    scalar_t* dst = out.data_ptr<scalar_t>();
    at::parallel_for(0, in.numel(), 32768, [&](int64_t begin, int64_t end) {
      keep.apply(begin, end - begin, src + begin, dst + begin);
    });
  });
  return out;
}

struct CpuDropout : public torch::autograd::Function<CpuDropout> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, double p) {
    const KeepMask keep{KeepMask::draw_seed(), p};
    ctx->saved_data["seed"] = (int64_t)keep.seed;
    ctx->saved_data["p"] = p;
    return masked(x, keep);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const KeepMask keep{(uint64_t)ctx->saved_data["seed"].toInt(), ctx->saved_data["p"].toDouble()};
    return {masked(grads[0], keep), at::Tensor()};
  }
};

}  // namespace

// x ⊙ M / (1 − p) for a float32/float64 CPU tensor, 0 < p < 1 (the C# side handles p = 0, evaluation and other devices).
API int ts_cpu_dropout(T x, double p, T* out) {
  BEGIN
  TORCH_CHECK(x->device().is_cpu(), "cpu_dropout: the tensor must be on the CPU");
  TORCH_CHECK(x->scalar_type() == at::kFloat || x->scalar_type() == at::kDouble, "cpu_dropout: float32 or float64 only (got ", x->scalar_type(), ")");
  TORCH_CHECK(p > 0 && p < 1, "cpu_dropout: p must be in (0, 1), got ", p);
  *out = wrap(CpuDropout::apply(*x, p));
  END
}
