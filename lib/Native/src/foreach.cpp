// The multi-tensor (_foreach_) ops optimizers use, so that one optimizer step costs a handful of
// native calls whatever the number of parameters. Operands and results are tensor lists (lists.cpp);
// a `_scalars` variant takes one scalar per entry (a double[] as long as the list).
#include "common.h"

static std::vector<at::Scalar> scalars(const double* v, size_t n) { return std::vector<at::Scalar>(v, v + n); }

API int ts_foreach_mul_scalar_(L a, double v) { BEGIN at::_foreach_mul_(*a, v); END }
API int ts_foreach_add_scalar_(L a, double v) { BEGIN at::_foreach_add_(*a, v); END }
API int ts_foreach_div_scalars_(L a, const double* v) { BEGIN at::_foreach_div_(*a, scalars(v, a->size())); END }
API int ts_foreach_add_(L a, L b, double alpha) { BEGIN at::_foreach_add_(*a, *b, alpha); END }
API int ts_foreach_add(L a, L b, double alpha, L* out) { BEGIN *out = new_list(at::_foreach_add(*a, *b, alpha)); END }
API int ts_foreach_addcmul_(L a, L b, L c, double v) { BEGIN at::_foreach_addcmul_(*a, *b, *c, v); END }
API int ts_foreach_addcmul(L a, L b, L c, double v, L* out) { BEGIN *out = new_list(at::_foreach_addcmul(*a, *b, *c, v)); END }
API int ts_foreach_addcdiv_scalars_(L a, L b, L c, const double* v) {
  BEGIN at::_foreach_addcdiv_(*a, *b, *c, scalars(v, a->size())); END
}
API int ts_foreach_sqrt(L a, L* out) { BEGIN *out = new_list(at::_foreach_sqrt(*a)); END }
API int ts_foreach_sqrt_(L a) { BEGIN at::_foreach_sqrt_(*a); END }
API int ts_foreach_norm(L a, double p, L* out) { BEGIN *out = new_list(at::_foreach_norm(*a, p)); END }
API int ts_foreach_copy_(L a, L b) {
  BEGIN
  TORCH_CHECK(a->size() == b->size(), "foreach copy_: lists of ", a->size(), " and ", b->size(), " tensors");
  for (size_t i = 0; i < a->size(); i++) (*a)[i].copy_((*b)[i]);
  END
}
