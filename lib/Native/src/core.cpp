// Errors, capabilities, threads, seeds, handle lifetime, metadata, factories and host transfer.
#include "common.h"
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/csrc/autograd/function.h>
#include <torch/version.h>
#include <atomic>
#include <cstring>

static thread_local std::string last_error;
void set_last_error(const char* msg) { last_error = msg ? msg : ""; }

API const char* ts_last_error() { return last_error.c_str(); }

// The status list of common.h, by value, for the C# test that keeps Torch.Interop.Status equal to it.
API int ts_status_count() { return STATUS_COUNT; }
API const char* ts_status_name(int status) {
  static const char* const names[] = {
#define TS_NAME(name) #name,
      TS_STATUSES(TS_NAME)
#undef TS_NAME
  };
  static_assert(sizeof(names) / sizeof(names[0]) == STATUS_COUNT, "one name per status");
  return status >= 0 && status < STATUS_COUNT ? names[status] : nullptr;
}

// ---- capabilities -----------------------------------------------------------------------------
API const char* ts_version() { return TORCH_VERSION; }
API int ts_cuda_is_available() { return at::hasCUDA() ? 1 : 0; }
API int ts_cuda_device_count() {
  try { return at::hasCUDA() ? (int)at::detail::getCUDAHooks().getNumGPUs() : 0; } catch (...) { return 0; }
}
API int ts_mkldnn_available() { return at::hasMKLDNN() ? 1 : 0; }

// ---- threads and seeds ------------------------------------------------------------------------
API int ts_set_num_threads(int n) { BEGIN at::set_num_threads(n); END }
API int ts_get_num_threads() { return at::get_num_threads(); }
// How many of libtorch's threads a parallel_for in the shim's own code reaches: 1 when the shim was built without
// the OpenMP runtime libtorch uses (its kernels then run on the calling thread; see CMakeLists.txt).
API int ts_kernel_threads() {
  std::atomic<uint64_t> seen{0};
  at::parallel_for(0, 64, 1, [&](int64_t, int64_t) { seen |= uint64_t(1) << (at::get_thread_num() % 64); });
  return __builtin_popcountll(seen.load());
}
API int ts_set_num_interop_threads(int n) { BEGIN at::set_num_interop_threads(n); END }
API int ts_manual_seed(uint64_t seed) {
  BEGIN
  at::manual_seed(seed);  // seeds CPU and, when loaded, every CUDA device
  END
}

// ---- lifetime ---------------------------------------------------------------------------------
API void ts_free(T t) { delete t; }
API int ts_shallow_copy(T a, T* out) { BEGIN *out = new at::Tensor(*a); END }

// ---- metadata ---------------------------------------------------------------------------------
API int ts_dim(T a) { return (int)a->dim(); }
API int64_t ts_numel(T a) { return a->numel(); }
API int ts_sizes(T a, int64_t* out) { BEGIN auto s = a->sizes(); std::copy(s.begin(), s.end(), out); END }
API int ts_strides(T a, int64_t* out) { BEGIN auto s = a->strides(); std::copy(s.begin(), s.end(), out); END }
API int ts_dtype(T a) { return (int)a->scalar_type(); }
API int ts_device_type(T a) { return (int)a->device().type(); }
API int ts_device_index(T a) { return (int)a->device().index(); }
API int ts_requires_grad(T a) { return a->requires_grad() ? 1 : 0; }
API int ts_is_leaf(T a) { return a->is_leaf() ? 1 : 0; }
API int ts_is_contiguous(T a, int channels_last) {
  return a->is_contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous) ? 1 : 0;
}
API const char* ts_grad_fn_name(T a) {
  static thread_local std::string name;
  auto fn = a->grad_fn();
  name = fn ? fn->name() : "";
  auto pos = name.rfind("::");  // "torch::autograd::generated::MulBackward0" -> "MulBackward0"
  if (pos != std::string::npos) name = name.substr(pos + 2);
  return name.c_str();
}
API void* ts_data_ptr(T a) { return a->data_ptr(); }

// ---- factories --------------------------------------------------------------------------------
OP(empty, (const int64_t* s, int n, int dt, int dev, int di, T* out), at::empty(dims(s, n), options(dt, dev, di)))
OP(zeros, (const int64_t* s, int n, int dt, int dev, int di, T* out), at::zeros(dims(s, n), options(dt, dev, di)))
OP(ones, (const int64_t* s, int n, int dt, int dev, int di, T* out), at::ones(dims(s, n), options(dt, dev, di)))
OP(full, (const int64_t* s, int n, double v, int integral, int dt, int dev, int di, T* out),
   at::full(dims(s, n), scalar(v, integral), options(dt, dev, di)))
OP(rand, (const int64_t* s, int n, int dt, int dev, int di, T* out), at::rand(dims(s, n), options(dt, dev, di)))
OP(randn, (const int64_t* s, int n, int dt, int dev, int di, T* out), at::randn(dims(s, n), options(dt, dev, di)))
OP(randint, (int64_t low, int64_t high, const int64_t* s, int n, int dt, int dev, int di, T* out),
   at::randint(low, high, dims(s, n), options(dt, dev, di)))
OP(randperm, (int64_t n, int dt, int dev, int di, T* out), at::randperm(n, options(dt, dev, di)))
OP(arange, (double start, double end, double step, int integral, int dt, int dev, int di, T* out),
   at::arange(scalar(start, integral), scalar(end, integral), scalar(step, integral), options(dt, dev, di)))
OP(linspace, (double start, double end, int64_t steps, int dt, int dev, int di, T* out),
   at::linspace(start, end, steps, options(dt, dev, di)))
OP(eye, (int64_t n, int dt, int dev, int di, T* out), at::eye(n, options(dt, dev, di)))
OP(empty_like, (T a, T* out), at::empty_like(*a))
OP(zeros_like, (T a, T* out), at::zeros_like(*a))
OP(ones_like, (T a, T* out), at::ones_like(*a))
OP(randn_like, (T a, T* out), at::randn_like(*a))
OP(rand_like, (T a, T* out), at::rand_like(*a))

// From host memory: the bytes are copied (the caller's buffer may be freed right after).
OP(from_host, (const void* data, const int64_t* s, int n, int dt, T* out),
   at::from_blob(const_cast<void*>(data), dims(s, n), at::TensorOptions().dtype((at::ScalarType)dt)).clone())

// To host memory: contiguous CPU copy of `a` written into dst (nbytes must match).
API int ts_to_host(T a, void* dst, int64_t nbytes) {
  BEGIN
  at::Tensor c = a->detach().to(at::kCPU).contiguous();
  TORCH_CHECK((int64_t)c.nbytes() == nbytes, "to_host: buffer of ", nbytes, " bytes for a tensor of ", c.nbytes(), " bytes");
  std::memcpy(dst, c.data_ptr(), (size_t)nbytes);
  END
}
API int ts_item(T a, double* out) { BEGIN *out = a->item<double>(); END }

// ---- conversion -------------------------------------------------------------------------------
OP(to_dtype, (T a, int dt, T* out), a->to((at::ScalarType)dt))
OP(to_device, (T a, int dev, int di, int non_blocking, T* out),
   a->to(at::Device((c10::DeviceType)dev, (c10::DeviceIndex)di), non_blocking != 0))
OP(contiguous, (T a, int channels_last, T* out),
   a->contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous))
OP(clone, (T a, T* out), a->clone())
OP(detach, (T a, T* out), a->detach())
