// Tensor lists: one handle (L) for a batch of tensors, the operands and results of the multi-tensor
// ops. A list holds its own references, so it outlives the handles it was built from.
#include "common.h"

API void ts_list_free(L l) { delete l; }
API int ts_list_new(const T* ts, int n, L* out) { BEGIN *out = new_list(list(ts, n)); END }
API int ts_list_size(L l) { return (int)l->size(); }
API int ts_list_get(L l, int i, T* out) { BEGIN *out = wrap(l->at((size_t)i)); END }
// the entries at idx[0..n), in that order
API int ts_list_select(L l, const int* idx, int n, L* out) {
  BEGIN
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(l->at((size_t)idx[i]));
  *out = new_list(std::move(v));
  END
}
// out[i] = 1 where entry i is a defined tensor, else 0 (e.g. a missing grad)
API int ts_list_defined(L l, int* out) { BEGIN for (size_t i = 0; i < l->size(); i++) out[i] = (*l)[i].defined() ? 1 : 0; END }
