// Shared plumbing of the C ABI: handles, status codes, and the catch-everything wrapper.
// A tensor handle is a heap at::Tensor*; NULL stands for an undefined tensor (e.g. no grad yet).
#pragma once
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <cstdint>
#include <string>
#include <vector>

#define API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* T;
// A tensor-list handle is a heap std::vector<at::Tensor>* (lists.cpp): the inputs and results of the
// multi-tensor ops, which hold their own references to the tensors.
typedef std::vector<at::Tensor>* L;

// Status codes returned by every export. The C# side mirrors them in Torch.Interop.Status; the list
// below is the only place they are written in C++, and ts_status_name/ts_status_count (core.cpp)
// expand it again so that a C# test can check every value and name against it.
#define TS_STATUSES(X)                                                  \
  X(OK)               /* success */                                     \
  X(TORCH_ERROR)      /* c10::Error (shape mismatch, dtype, device...) */ \
  X(INDEX_ERROR)      /* c10::IndexError */                             \
  X(VALUE_ERROR)      /* c10::ValueError */                             \
  X(TYPE_ERROR)       /* c10::TypeError */                              \
  X(OUT_OF_MEMORY)    /* c10::OutOfMemoryError */                       \
  X(STD_EXCEPTION)    /* std::exception */                              \
  X(UNKNOWN_ERROR)    /* anything else */

enum Status : int {
#define TS_ENUMERATOR(name) name,
  TS_STATUSES(TS_ENUMERATOR)
#undef TS_ENUMERATOR
  STATUS_COUNT
};

void set_last_error(const char* msg);

#define BEGIN try {
#define END                                                                   \
  return OK;                                                                  \
  }                                                                           \
  catch (const c10::IndexError& e) { set_last_error(e.what_without_backtrace()); return INDEX_ERROR; } \
  catch (const c10::ValueError& e) { set_last_error(e.what_without_backtrace()); return VALUE_ERROR; } \
  catch (const c10::TypeError& e) { set_last_error(e.what_without_backtrace()); return TYPE_ERROR; }   \
  catch (const c10::OutOfMemoryError& e) { set_last_error(e.what_without_backtrace()); return OUT_OF_MEMORY; } \
  catch (const c10::Error& e) { set_last_error(e.what_without_backtrace()); return TORCH_ERROR; }     \
  catch (const std::exception& e) { set_last_error(e.what()); return STD_EXCEPTION; }                     \
  catch (...) { set_last_error("unknown native exception"); return UNKNOWN_ERROR; }

// One export = one ATen call: `OP(name, (args), expression)` writes the result handle to *out.
#define OP(name, params, expr) \
  API int ts_##name params { BEGIN *out = wrap(expr); END }

inline T wrap(at::Tensor t) { return t.defined() ? new at::Tensor(std::move(t)) : nullptr; }
inline at::IntArrayRef dims(const int64_t* p, int n) { return at::IntArrayRef(p, (size_t)n); }
inline at::Scalar scalar(double v, int integral) {
  return integral ? at::Scalar((int64_t)v) : at::Scalar(v);
}
// alpha of add/sub: an integer Scalar for integer tensors (libtorch rejects a floating alpha there)
inline at::Scalar alpha_for(const at::Tensor& a, double alpha) {
  return scalar(alpha, at::isIntegralType(a.scalar_type(), /*includeBool=*/true) && alpha == (double)(int64_t)alpha);
}
inline std::vector<at::Tensor> list(const T* ts, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(*ts[i]);
  return v;
}
inline L new_list(std::vector<at::Tensor> v) { return new std::vector<at::Tensor>(std::move(v)); }
inline void unwrap_list(std::vector<at::Tensor> v, T* out, int* n) {
  *n = (int)v.size();
  for (size_t i = 0; i < v.size(); i++) out[i] = wrap(std::move(v[i]));
}
inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype((at::ScalarType)dtype)
      .device(at::Device((c10::DeviceType)device_type, (c10::DeviceIndex)device_index));
}
inline c10::optional<at::Tensor> opt(T t) {
  return t ? c10::optional<at::Tensor>(*t) : c10::nullopt;
}
