// Autograd: backward, grads, grad mode.
#include "common.h"
#include <c10/core/GradMode.h>

API int ts_backward(T a, T grad, int retain_graph, int create_graph) {
  BEGIN a->backward(grad ? *grad : at::Tensor(), retain_graph != 0, create_graph != 0); END
}
OP(grad, (T a, T* out), a->grad())
API int ts_set_grad(T a, T g) { BEGIN a->mutable_grad() = g ? *g : at::Tensor(); END }
API int ts_requires_grad_(T a, int r) { BEGIN a->requires_grad_(r != 0); END }
API int ts_set_data(T a, T d) { BEGIN a->set_data(*d); END }
API int ts_retain_grad(T a) { BEGIN a->retain_grad(); END }
API int ts_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
API void ts_set_grad_enabled(int on) { c10::GradMode::set_enabled(on != 0); }

// the grads of a list of tensors in one call (undefined where a tensor has no grad)
API int ts_grads(L ts, L* out) {
  BEGIN
  std::vector<at::Tensor> grads;
  grads.reserve(ts->size());
  for (const auto& t : *ts) grads.push_back(t.grad());
  *out = new_list(std::move(grads));
  END
}
