// SpmmPlan: cuSPARSE SpMM on our CSR (or on A^T through the CSC twin) and row-major dense operands.
#include <utility>

#include "descriptors.h"

namespace kernels::vendor {

struct SpmmOperands {
  cusparseHandle_t handle = nullptr;
  cusparseSpMMAlg_t algorithm = CUSPARSE_SPMM_CSR_ALG2;
  cusparseSpMatDescr_t a = nullptr;        // A, or A^T for the transposed product
  cusparseConstDnMatDescr_t b = nullptr;
  cusparseDnMatDescr_t c = nullptr;
  MatrixView<float> c_view;                 // to zero C when beta == 0
  // Transposed product only: A's CSR-ordered values (dense) gathered into CSC order (sparse vector
  // whose indices are csr_positions).
  cusparseConstDnVecDescr_t csr_values = nullptr;
  cusparseSpVecDescr_t csc_values = nullptr;
  void* workspace = nullptr;

  SpmmOperands() = default;
  SpmmOperands(const SpmmOperands&) = delete;
  SpmmOperands& operator=(const SpmmOperands&) = delete;
  ~SpmmOperands() {
    if (a != nullptr) cusparseDestroySpMat(a);
    if (b != nullptr) cusparseDestroyDnMat(b);
    if (c != nullptr) cusparseDestroyDnMat(c);
    if (csr_values != nullptr) cusparseDestroyDnVec(csr_values);
    if (csc_values != nullptr) cusparseDestroySpVec(csc_values);
  }
};

namespace {

cusparseSpMMAlg_t to_cusparse(SpmmAlgorithm algorithm) {
  return algorithm == SpmmAlgorithm::CsrAlg3 ? CUSPARSE_SPMM_CSR_ALG3 : CUSPARSE_SPMM_CSR_ALG2;
}

void require_product_shapes(std::int64_t a_rows, std::int64_t a_cols, MatrixView<const float> b,
                            MatrixView<float> c) {
  KERNELS_REQUIRE(b.rows == a_cols && c.rows == a_rows && c.cols == b.cols,
                  "op(A) ", a_rows, 'x', a_cols, ", B ", b.rows, 'x', b.cols, ", C ", c.rows, 'x', c.cols);
  KERNELS_REQUIRE(a_rows > 0 && a_cols > 0 && b.cols > 0, "empty operand: the caller handles degenerate shapes");
  KERNELS_REQUIRE(b.ld >= b.cols && c.ld >= c.cols, "ld below cols");
}

// Sizes the workspace for these operands and runs cuSPARSE's optional pattern preprocessing.
void size_and_preprocess(SpmmOperands& op, DeviceBuffer& workspace) {
  const float one = 1.0f;
  const float zero = 0.0f;
  std::size_t bytes = 0;
  KERNELS_CUSPARSE_CHECK(cusparseSpMM_bufferSize(op.handle, CUSPARSE_OPERATION_NON_TRANSPOSE,
                                                 CUSPARSE_OPERATION_NON_TRANSPOSE, &one, op.a, op.b, &zero, op.c,
                                                 CUDA_R_32F, op.algorithm, &bytes));
  op.workspace = workspace.reserve(bytes);
  KERNELS_CUSPARSE_CHECK(cusparseSpMM_preprocess(op.handle, CUSPARSE_OPERATION_NON_TRANSPOSE,
                                                 CUSPARSE_OPERATION_NON_TRANSPOSE, &one, op.a, op.b, &zero, op.c,
                                                 CUDA_R_32F, op.algorithm, op.workspace));
}

}  // namespace

SpmmPlan::SpmmPlan() = default;
SpmmPlan::~SpmmPlan() = default;
SpmmPlan::SpmmPlan(SpmmPlan&&) noexcept = default;
SpmmPlan& SpmmPlan::operator=(SpmmPlan&&) noexcept = default;

void SpmmPlan::prepare(cusparseHandle_t handle, const CsrPattern& a, const float* a_values,
                       MatrixView<const float> b, MatrixView<float> c, SpmmAlgorithm algorithm) {
  require_product_shapes(a.rows, a.cols, b, c);
  detail::require_32bit_nnz(a.nnz);
  operands_.reset();  // a failed prepare leaves no half-built plan behind
  auto op = std::make_unique<SpmmOperands>();
  op->handle = handle;
  op->algorithm = to_cusparse(algorithm);
  auto* offsets = static_cast<std::int32_t*>(offsets32_.reserve(sizeof(std::int32_t) * (a.rows + 1)));
  narrow_offsets(a.offsets, offsets, a.rows + 1, detail::stream_of(handle));
  op->a = detail::make_csr(a.rows, a.cols, a.nnz, offsets, a.indices, a_values);
  op->b = detail::make_dense(b);
  op->c = detail::make_dense(c);
  op->c_view = c;
  size_and_preprocess(*op, workspace_);
  operands_ = std::move(op);
}

void SpmmPlan::prepare_transposed(cusparseHandle_t handle, const CscPattern& a, const float* a_values,
                                  MatrixView<const float> b, MatrixView<float> c, SpmmAlgorithm algorithm) {
  // A^T (a.cols x a.rows) in CSR is exactly A's CSC: offsets by column, row indices, CSC-ordered values.
  require_product_shapes(a.cols, a.rows, b, c);
  detail::require_32bit_nnz(a.nnz);
  operands_.reset();
  auto op = std::make_unique<SpmmOperands>();
  op->handle = handle;
  op->algorithm = to_cusparse(algorithm);
  auto* offsets = static_cast<std::int32_t*>(offsets32_.reserve(sizeof(std::int32_t) * (a.cols + 1)));
  narrow_offsets(a.offsets, offsets, a.cols + 1, detail::stream_of(handle));
  auto* csc_ordered = static_cast<float*>(gathered_values_.reserve(sizeof(float) * a.nnz));
  KERNELS_CUSPARSE_CHECK(cusparseCreateConstDnVec(&op->csr_values, a.nnz, a_values, CUDA_R_32F));
  KERNELS_CUSPARSE_CHECK(cusparseCreateSpVec(&op->csc_values, a.nnz, a.nnz, const_cast<offset_t*>(a.csr_positions),
                                             csc_ordered, CUSPARSE_INDEX_64I, CUSPARSE_INDEX_BASE_ZERO, CUDA_R_32F));
  op->a = detail::make_csr(a.cols, a.rows, a.nnz, offsets, a.row_indices, csc_ordered);
  op->b = detail::make_dense(b);
  op->c = detail::make_dense(c);
  op->c_view = c;
  size_and_preprocess(*op, workspace_);
  operands_ = std::move(op);
}

void SpmmPlan::run(float alpha, float beta) {
  KERNELS_REQUIRE(operands_ != nullptr, "SpmmPlan::run before a successful prepare");
  SpmmOperands& op = *operands_;
  if (op.csc_values != nullptr) KERNELS_CUSPARSE_CHECK(cusparseGather(op.handle, op.csr_values, op.csc_values));
  if (beta == 0.0f) detail::zero_matrix(op.c_view, detail::stream_of(op.handle));
  KERNELS_CUSPARSE_CHECK(cusparseSpMM(op.handle, CUSPARSE_OPERATION_NON_TRANSPOSE, CUSPARSE_OPERATION_NON_TRANSPOSE,
                                      &alpha, op.a, op.b, &beta, op.c, CUDA_R_32F, op.algorithm, op.workspace));
}

}  // namespace kernels::vendor
