// SddmmPlan: cuSPARSE SDDMM, out = (A . B^T) sampled at the pattern, A (m, k) and B (n, k) row-major.
#include <utility>

#include "descriptors.h"

namespace kernels::vendor {

struct SddmmOperands {
  cusparseHandle_t handle = nullptr;
  cusparseConstDnMatDescr_t a = nullptr;
  cusparseConstDnMatDescr_t b = nullptr;  // B (n, k); the op uses B^T
  cusparseSpMatDescr_t out = nullptr;     // the pattern with `out` as its values
  float* out_values = nullptr;
  offset_t nnz = 0;
  void* workspace = nullptr;

  SddmmOperands() = default;
  SddmmOperands(const SddmmOperands&) = delete;
  SddmmOperands& operator=(const SddmmOperands&) = delete;
  ~SddmmOperands() {
    if (a != nullptr) cusparseDestroyDnMat(a);
    if (b != nullptr) cusparseDestroyDnMat(b);
    if (out != nullptr) cusparseDestroySpMat(out);
  }
};

SddmmPlan::SddmmPlan() = default;
SddmmPlan::~SddmmPlan() = default;
SddmmPlan::SddmmPlan(SddmmPlan&&) noexcept = default;
SddmmPlan& SddmmPlan::operator=(SddmmPlan&&) noexcept = default;

void SddmmPlan::prepare(cusparseHandle_t handle, const CsrPattern& pattern, MatrixView<const float> a,
                        MatrixView<const float> b, float* out) {
  KERNELS_REQUIRE(a.rows == pattern.rows && b.rows == pattern.cols && a.cols == b.cols,
                  "pattern ", pattern.rows, 'x', pattern.cols, ", A ", a.rows, 'x', a.cols, ", B ", b.rows, 'x',
                  b.cols);
  KERNELS_REQUIRE(a.cols > 0, "k = 0: the caller handles degenerate shapes");
  detail::require_32bit_nnz(pattern.nnz);
  operands_.reset();
  auto op = std::make_unique<SddmmOperands>();
  op->handle = handle;
  op->out_values = out;
  op->nnz = pattern.nnz;
  auto* offsets = static_cast<std::int32_t*>(offsets32_.reserve(sizeof(std::int32_t) * (pattern.rows + 1)));
  narrow_offsets(pattern.offsets, offsets, pattern.rows + 1, detail::stream_of(handle));
  op->a = detail::make_dense(a);
  op->b = detail::make_dense(b);
  op->out = detail::make_csr(pattern.rows, pattern.cols, pattern.nnz, offsets, pattern.indices, out);
  const float one = 1.0f;
  const float zero = 0.0f;
  std::size_t bytes = 0;
  KERNELS_CUSPARSE_CHECK(cusparseSDDMM_bufferSize(handle, CUSPARSE_OPERATION_NON_TRANSPOSE, CUSPARSE_OPERATION_TRANSPOSE,
                                                  &one, op->a, op->b, &zero, op->out, CUDA_R_32F,
                                                  CUSPARSE_SDDMM_ALG_DEFAULT, &bytes));
  op->workspace = workspace_.reserve(bytes);
  KERNELS_CUSPARSE_CHECK(cusparseSDDMM_preprocess(handle, CUSPARSE_OPERATION_NON_TRANSPOSE,
                                                  CUSPARSE_OPERATION_TRANSPOSE, &one, op->a, op->b, &zero, op->out,
                                                  CUDA_R_32F, CUSPARSE_SDDMM_ALG_DEFAULT, op->workspace));
  operands_ = std::move(op);
}

void SddmmPlan::run() {
  KERNELS_REQUIRE(operands_ != nullptr, "SddmmPlan::run before a successful prepare");
  SddmmOperands& op = *operands_;
  const float one = 1.0f;
  const float zero = 0.0f;
  // out is overwritten: clear it so that beta = 0 never meets stale NaNs (0 * NaN = NaN).
  KERNELS_CUDA_CHECK(cudaMemsetAsync(op.out_values, 0, sizeof(float) * op.nnz, detail::stream_of(op.handle)));
  KERNELS_CUSPARSE_CHECK(cusparseSDDMM(op.handle, CUSPARSE_OPERATION_NON_TRANSPOSE, CUSPARSE_OPERATION_TRANSPOSE, &one,
                                       op.a, op.b, &zero, op.out, CUDA_R_32F, CUSPARSE_SDDMM_ALG_DEFAULT,
                                       op.workspace));
}

}  // namespace kernels::vendor
