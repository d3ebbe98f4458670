// Neural-network functional ops and losses (the modules in C# are built on these; linear is in linear.cpp).
#include "common.h"

static int64_t reduction(int r) { return r; }  // 0 none, 1 mean, 2 sum (at::Reduction values)

OP(conv2d, (T x, T w, T b, const int64_t* stride, const int64_t* pad, const int64_t* dil, int64_t groups, T* out),
   at::conv2d(*x, *w, opt(b), dims(stride, 2), dims(pad, 2), dims(dil, 2), groups))
OP(max_pool2d, (T x, const int64_t* k, const int64_t* s, const int64_t* p, T* out),
   at::max_pool2d(*x, dims(k, 2), dims(s, 2), dims(p, 2)))
OP(avg_pool2d, (T x, const int64_t* k, const int64_t* s, const int64_t* p, T* out),
   at::avg_pool2d(*x, dims(k, 2), dims(s, 2), dims(p, 2)))
OP(adaptive_avg_pool2d, (T x, const int64_t* size, T* out), at::adaptive_avg_pool2d(*x, dims(size, 2)))
OP(batch_norm, (T x, T w, T b, T mean, T var, int training, double momentum, double eps, T* out),
   at::batch_norm(*x, opt(w), opt(b), opt(mean), opt(var), training != 0, momentum, eps, true))
OP(layer_norm, (T x, const int64_t* shape, int n, T w, T b, double eps, T* out),
   at::layer_norm(*x, dims(shape, n), opt(w), opt(b), eps, true))
OP(embedding, (T w, T idx, int64_t padding_idx, T* out), at::embedding(*w, *idx, padding_idx))
OP(dropout, (T x, double p, int train, T* out), at::dropout(*x, p, train != 0))
OP(cross_entropy, (T x, T target, T weight, int red, int64_t ignore_index, double smoothing, T* out),
   at::cross_entropy_loss(*x, *target, opt(weight), reduction(red), ignore_index, smoothing))
OP(nll_loss, (T x, T target, T weight, int red, int64_t ignore_index, T* out),
   at::nll_loss(*x, *target, opt(weight), reduction(red), ignore_index))
OP(mse_loss, (T x, T target, int red, T* out), at::mse_loss(*x, *target, reduction(red)))
OP(l1_loss, (T x, T target, int red, T* out), at::l1_loss(*x, *target, reduction(red)))
OP(binary_cross_entropy, (T x, T target, T weight, int red, T* out),
   at::binary_cross_entropy(*x, *target, opt(weight), reduction(red)))
OP(binary_cross_entropy_with_logits, (T x, T target, T weight, T pos_weight, int red, T* out),
   at::binary_cross_entropy_with_logits(*x, *target, opt(weight), opt(pos_weight), reduction(red)))
