// Sparse x dense products: C = alpha * A . B + beta * C (A in CSR) and C = alpha * A^T . B + beta * C
// (A through its CSC twin). Both are "one output row per task": a row of C is the weighted sum of the
// rows of B selected by one row (or column) of A, so threads own output rows and need no atomics.
#include <algorithm>

#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"
#include "simd.h"
#include "sparse_slices.h"
#include "update_span.h"

namespace kernels::cpu {
namespace {

// c_row (k) = alpha * sum_q value(q) * B row indices[q] + beta * c_row.
// The output row (k floats, 2 KiB at k = 500) stays in L1 while each nonzero streams one whole,
// contiguous B row through it: sequential reads that the hardware prefetcher follows. (Tiling k into
// register-resident pieces was measured slower: it turns each B row into scattered 256-byte reads.)
// TB: the table's element type (fp32, or bf16 for `--precision bf16`); the sums are fp32 either way.
template <class TB>
[[gnu::always_inline]] inline void spmm_row_impl(float* __restrict c_row, std::int64_t k,
                                                 const detail::SparseSlice& row, const TB* __restrict b,
                                                 std::int64_t ldb, float alpha, float beta) {
  if (beta == 0.0f) {
    std::fill(c_row, c_row + k, 0.0f);
  } else if (beta != 1.0f) {
    for (std::int64_t j = 0; j < k; ++j) c_row[j] *= beta;
  }
  const auto value = [&](std::int64_t q) { return alpha * row.value(q); };
  // Two nonzeros per pass halve the loads and stores of c_row per flop.
  std::int64_t q = 0;
  for (; q + 2 <= row.count; q += 2) {
    const float v0 = value(q);
    const float v1 = value(q + 1);
    const TB* __restrict b0 = b + row.indices[q] * ldb;
    const TB* __restrict b1 = b + row.indices[q + 1] * ldb;
    for (std::int64_t j = 0; j < k; ++j) c_row[j] += v0 * to_float(b0[j]) + v1 * to_float(b1[j]);
  }
  if (q < row.count) {
    const float v0 = value(q);
    const TB* __restrict b0 = b + row.indices[q] * ldb;
    for (std::int64_t j = 0; j < k; ++j) c_row[j] += v0 * to_float(b0[j]);
  }
}

// Plain functions per table type: only those can be multiversioned (simd.h).
KERNELS_CPU_MULTIVERSION
void spmm_row(float* __restrict c_row, std::int64_t k, const detail::SparseSlice& row, const float* __restrict b,
              std::int64_t ldb, float alpha, float beta) {
  spmm_row_impl(c_row, k, row, b, ldb, alpha, beta);
}
KERNELS_CPU_MULTIVERSION
void spmm_row(float* __restrict c_row, std::int64_t k, const detail::SparseSlice& row, const bfloat16* __restrict b,
              std::int64_t ldb, float alpha, float beta) {
  spmm_row_impl(c_row, k, row, b, ldb, alpha, beta);
}

// C (slices.count x k) = alpha * S . B + beta * C, after the shape checks; C row r is slice r of S.
template <class TB>
void slices_times_dense(const detail::SparseSlices& slices, std::int64_t inner, MatrixView<const TB> b,
                        MatrixView<float> c, float alpha, float beta) {
  detail::require_spmm_operands(slices.count, inner, b, c);
  if (c.cols == 0) return;
  // Rows are heavy-tailed (popular items): dynamic scheduling with small chunks balances them.
#pragma omp parallel for schedule(dynamic, 8)
  for (index_t r = 0; r < slices.count; ++r) spmm_row(c.row(r), c.cols, slices.slice(r), b.data, b.ld, alpha, beta);
}

// Columns of a gradient row formed at once on the stack by spmm_transposed_update (k = 500 is one piece).
constexpr std::int64_t kGradientPiece = 1024;

}  // namespace

// C (m x k) = alpha * A (m x n) . B (n x k) + beta * C.
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c, float alpha,
          float beta) {
  detail::require_csr(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  slices_times_dense(detail::csr_rows(a, a_values), a.cols, b, c, alpha, beta);
}

// The same with B a bf16 table (--precision bf16): widened per element, fp32 sums.
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const bfloat16> b, MatrixView<float> c, float alpha,
          float beta) {
  detail::require_csr(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  slices_times_dense(detail::csr_rows(a, a_values), a.cols, b, c, alpha, beta);
}

// C (n x k) = alpha * A^T (n x m) . B (m x k) + beta * C; output row j is column j of A.
void spmm_transposed(const CscPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c,
                     float alpha, float beta) {
  detail::require_csc(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  slices_times_dense(detail::csc_columns(a, a_values), a.rows, b, c, alpha, beta);
}

// Row j of W (n x k) takes one optimizer step with the gradient alpha * (A^T . B)_j, formed piece by piece
// in a stack buffer: the gradient never reaches memory. Rows are heavy-tailed (popular users), hence
// dynamic scheduling; each row has one owner, so the result does not depend on the thread count.
void spmm_transposed_update(const CscPattern& a, const float* a_values, MatrixView<const float> b, float alpha,
                            MatrixView<float> w, const WeightUpdate& update) {
  detail::require_csc(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  kernels::detail::require_weight_update(update, w);
  const detail::SparseSlices columns = detail::csc_columns(a, a_values);
  detail::require_spmm_operands(columns.count, a.rows, b, w);
  if (w.cols == 0) return;
#pragma omp parallel for schedule(dynamic, 8)
  for (index_t j = 0; j < columns.count; ++j) {
    const detail::SparseSlice column = columns.slice(j);
    if (column.count == 0 && update.skip_untouched_rows) continue;
    alignas(64) float gradient[kGradientPiece];
    for (std::int64_t first = 0; first < w.cols; first += kGradientPiece) {
      const std::int64_t width = std::min(kGradientPiece, w.cols - first);
      spmm_row(gradient, width, column, b.data + first, b.ld, alpha, 0.0f);
      detail::update_span_with_copy(update, w.row(j) + first, gradient, j * w.ld + first, width);
    }
  }
}

}  // namespace kernels::cpu
