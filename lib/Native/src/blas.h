// Row-major matrix products on the BLAS libtorch itself links (OpenBLAS on Debian), for the shim's own CPU kernels
// (attention.cpp, linear.cpp). The binding keeps OpenBLAS single-threaded, so each call runs on the calling thread and
// the kernels share their calls out over libtorch's threads themselves.
#pragma once
#include <torch/version.h>

// The kernels are built against libtorch 1.x with a BLAS; libtorch 2.x has its own fused attention, and without a BLAS
// there is nothing to call.
#if defined(COURSE_WITH_BLAS) && TORCH_VERSION_MAJOR < 2
#define COURSE_CPU_KERNELS 1
#include <ATen/ATen.h>
#include <algorithm>
#include <cstdint>

// Fortran BLAS; column-major.
extern "C" {
void sgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const float* alpha,
            const float* a, const int* lda, const float* b, const int* ldb, const float* beta, float* c, const int* ldc);
void dgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* b, const int* ldb, const double* beta, double* c, const int* ldc);
}

namespace course_blas {

inline void gemm(const char* ta, const char* tb, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc) {
  sgemm_(ta, tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}
inline void gemm(const char* ta, const char* tb, int m, int n, int k, double alpha, const double* a, int lda,
                 const double* b, int ldb, double beta, double* c, int ldc) {
  dgemm_(ta, tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}

// Row-major C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C; lda, ldb, ldc are the distances between the stored
// rows. Column-major BLAS sees a row-major matrix as its transpose, so it computes Cᵀ = op(B)ᵀ op(A)ᵀ.
template <typename scalar_t>
void matmul(bool trans_a, bool trans_b, int m, int n, int k, scalar_t alpha, const scalar_t* a, int64_t lda,
            const scalar_t* b, int64_t ldb, scalar_t* c, int64_t ldc, scalar_t beta = scalar_t(0)) {
  gemm(trans_b ? "T" : "N", trans_a ? "T" : "N", n, m, k, alpha, b, (int)ldb, a, (int)lda, beta, c, (int)ldc);
}

// t itself when its rows are contiguous and apart (as BLAS needs them), else a contiguous copy.
inline at::Tensor rows_contiguous(const at::Tensor& t) {
  return t.stride(-1) == 1 && t.stride(-2) >= std::max<int64_t>(t.size(-1), 1) ? t : t.contiguous();
}

}  // namespace course_blas
#endif
