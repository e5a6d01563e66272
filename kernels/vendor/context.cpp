// Context: the handles, the per-op plans, and cuBLAS GEMM on our row-major layout.
#include <limits>

#include "descriptors.h"

namespace kernels::vendor {
namespace {

bool fits_int(std::int64_t value) { return value <= std::numeric_limits<int>::max(); }

}  // namespace

Context::Context(cudaStream_t stream) : stream_(stream) {
  KERNELS_CUSPARSE_CHECK(cusparseCreate(&cusparse_));
  try {
    KERNELS_CUSPARSE_CHECK(cusparseSetStream(cusparse_, stream_));
    KERNELS_CUBLAS_CHECK(cublasCreate(&cublas_));
    KERNELS_CUBLAS_CHECK(cublasSetStream(cublas_, stream_));
  } catch (...) {
    if (cublas_ != nullptr) cublasDestroy(cublas_);
    cusparseDestroy(cusparse_);
    throw;
  }
}

Context::~Context() {
  // Plans hold descriptors made with cusparse_: destroy them before the handle.
  spmm_plan_ = SpmmPlan();
  spmm_transposed_plan_ = SpmmPlan();
  sddmm_plan_ = SddmmPlan();
  cublasDestroy(cublas_);
  cusparseDestroy(cusparse_);
}

void Context::spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c,
                   float alpha, float beta, SpmmAlgorithm algorithm) {
  spmm_plan_.prepare(cusparse_, a, a_values, b, c, algorithm);
  spmm_plan_.run(alpha, beta);
}

void Context::spmm_transposed(const CscPattern& a, const float* a_values, MatrixView<const float> b,
                              MatrixView<float> c, float alpha, float beta, SpmmAlgorithm algorithm) {
  spmm_transposed_plan_.prepare_transposed(cusparse_, a, a_values, b, c, algorithm);
  spmm_transposed_plan_.run(alpha, beta);
}

void Context::sddmm(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b, float* out) {
  sddmm_plan_.prepare(cusparse_, pattern, a, b, out);
  sddmm_plan_.run();
}

void Context::gemm(bool transpose_a, bool transpose_b, float alpha, MatrixView<const float> a,
                   MatrixView<const float> b, float beta, MatrixView<float> c, GemmPrecision precision) {
  const std::int64_t m = c.rows;
  const std::int64_t n = c.cols;
  const std::int64_t k = transpose_a ? a.rows : a.cols;
  KERNELS_REQUIRE((transpose_a ? a.cols : a.rows) == m && (transpose_b ? b.cols : b.rows) == k &&
                      (transpose_b ? b.rows : b.cols) == n,
                  "op(A) vs op(B) vs C (", m, 'x', n, ") with k=", k);
  KERNELS_REQUIRE(m > 0 && n > 0 && k > 0, "empty operand: the caller handles degenerate shapes");
  KERNELS_REQUIRE(fits_int(m) && fits_int(n) && fits_int(k) && fits_int(a.ld) && fits_int(b.ld) && fits_int(c.ld),
                  "cuBLAS 32-bit sizes exceeded");
  // Row-major X (r x c, ld) is column-major X^T (c x r, ld). So C^T = op(B)^T . op(A)^T, an (n x m)
  // column-major product whose first operand is B's memory, with the transposes kept as given.
  const cublasOperation_t op_b = transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t op_a = transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasComputeType_t compute =
      precision == GemmPrecision::Tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
  KERNELS_CUBLAS_CHECK(cublasGemmEx(cublas_, op_b, op_a, static_cast<int>(n), static_cast<int>(m),
                                    static_cast<int>(k), &alpha, b.data, CUDA_R_32F, static_cast<int>(b.ld), a.data,
                                    CUDA_R_32F, static_cast<int>(a.ld), &beta, c.data, CUDA_R_32F,
                                    static_cast<int>(c.ld), compute, CUBLAS_GEMM_DEFAULT));
}

}  // namespace kernels::vendor
