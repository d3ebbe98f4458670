// Autograd (backward, grads, grad mode) and the multi-tensor (_foreach_) ops optimizers use, so
// that one optimizer step costs a handful of native calls whatever the number of parameters.
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

// grads of a list of tensors in one call (NULL where a tensor has no grad)
API int ts_grads(const T* ts, int n, T* out) { BEGIN for (int i = 0; i < n; i++) out[i] = wrap(ts[i]->grad()); END }

API int ts_foreach_zero_(const T* a, int n) { BEGIN at::_foreach_zero_(list(a, n)); END }
API int ts_foreach_mul_scalar_(const T* a, int n, double v) { BEGIN at::_foreach_mul_(list(a, n), v); END }
API int ts_foreach_div_scalar_(const T* a, int n, double v) { BEGIN at::_foreach_div_(list(a, n), v); END }
API int ts_foreach_add_scalar_(const T* a, int n, double v) { BEGIN at::_foreach_add_(list(a, n), v); END }
API int ts_foreach_add_(const T* a, const T* b, int n, double alpha) {
  BEGIN at::_foreach_add_(list(a, n), list(b, n), alpha); END
}
API int ts_foreach_add(const T* a, const T* b, int n, double alpha, T* out) {
  BEGIN int m; unwrap_list(at::_foreach_add(list(a, n), list(b, n), alpha), out, &m); END
}
API int ts_foreach_addcmul_(const T* a, const T* b, const T* c, int n, double v) {
  BEGIN at::_foreach_addcmul_(list(a, n), list(b, n), list(c, n), v); END
}
API int ts_foreach_addcdiv_(const T* a, const T* b, const T* c, int n, double v) {
  BEGIN at::_foreach_addcdiv_(list(a, n), list(b, n), list(c, n), v); END
}
API int ts_foreach_sqrt(const T* a, int n, T* out) { BEGIN int m; unwrap_list(at::_foreach_sqrt(list(a, n)), out, &m); END }
API int ts_foreach_norm(const T* a, int n, double p, T* out) {
  BEGIN int m; unwrap_list(at::_foreach_norm(list(a, n), p), out, &m); END
}
API int ts_foreach_copy_(const T* a, const T* b, int n) {
  BEGIN for (int i = 0; i < n; i++) a[i]->copy_(*b[i]); END
}
