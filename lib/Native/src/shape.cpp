// Shapes, views, joining, splitting and indexing.
#include "common.h"

OP(view, (T a, const int64_t* s, int n, T* out), a->view(dims(s, n)))
OP(reshape, (T a, const int64_t* s, int n, T* out), a->reshape(dims(s, n)))
OP(permute, (T a, const int64_t* s, int n, T* out), a->permute(dims(s, n)))
OP(expand, (T a, const int64_t* s, int n, T* out), a->expand(dims(s, n)))
OP(repeat, (T a, const int64_t* s, int n, T* out), a->repeat(dims(s, n)))
OP(flip, (T a, const int64_t* s, int n, T* out), a->flip(dims(s, n)))
OP(roll, (T a, int64_t shift, int64_t dim, T* out), a->roll(shift, dim))
OP(transpose, (T a, int64_t d0, int64_t d1, T* out), a->transpose(d0, d1))
OP(flatten, (T a, int64_t start, int64_t end, T* out), a->flatten(start, end))
OP(unflatten, (T a, int64_t dim, const int64_t* s, int n, T* out), a->unflatten(dim, dims(s, n)))
OP(unsqueeze, (T a, int64_t dim, T* out), a->unsqueeze(dim))
OP(squeeze, (T a, T* out), a->squeeze())
OP(squeeze_dim, (T a, int64_t dim, T* out), a->squeeze(dim))
OP(narrow, (T a, int64_t dim, int64_t start, int64_t len, T* out), a->narrow(dim, start, len))
OP(select, (T a, int64_t dim, int64_t index, T* out), a->select(dim, index))
OP(slice, (T a, int64_t dim, int64_t start, int64_t end, int64_t step, T* out), a->slice(dim, start, end, step))
OP(index_select, (T a, int64_t dim, T idx, T* out), a->index_select(dim, *idx))
OP(gather, (T a, int64_t dim, T idx, T* out), a->gather(dim, *idx))
OP(scatter, (T a, int64_t dim, T idx, T src, T* out), a->scatter(dim, *idx, *src))
OP(scatter_add, (T a, int64_t dim, T idx, T src, T* out), a->scatter_add(dim, *idx, *src))
OP(tril, (T a, int64_t k, T* out), a->tril(k))
OP(triu, (T a, int64_t k, T* out), a->triu(k))
OP(one_hot, (T a, int64_t classes, T* out), at::one_hot(*a, classes))
OP(masked_select, (T a, T mask, T* out), a->masked_select(*mask))
OP(nonzero, (T a, T* out), a->nonzero())
OP(cat, (const T* ts, int n, int64_t dim, T* out), at::cat(list(ts, n), dim))
OP(stack, (const T* ts, int n, int64_t dim, T* out), at::stack(list(ts, n), dim))
OP(constant_pad, (T a, const int64_t* p, int n, double v, T* out), at::constant_pad_nd(*a, dims(p, n), v))
API int ts_chunk(T a, int64_t chunks, int64_t dim, T* out, int* n) { BEGIN unwrap_list(a->chunk(chunks, dim), out, n); END }
API int ts_split(T a, int64_t size, int64_t dim, T* out, int* n) { BEGIN unwrap_list(a->split(size, dim), out, n); END }
// Advanced indexing a[i0, i1, ...] with tensors; NULL entries stand for ':'.
OP(index, (T a, const T* idx, int n, T* out), ([&] {
  c10::List<c10::optional<at::Tensor>> l;
  for (int i = 0; i < n; i++) l.push_back(idx[i] ? c10::optional<at::Tensor>(*idx[i]) : c10::nullopt);
  return a->index(l);
})())
