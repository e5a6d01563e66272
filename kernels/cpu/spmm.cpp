// Sparse x dense products: C = alpha * A . B + beta * C (A in CSR) and C = alpha * A^T . B + beta * C
// (A through its CSC twin). Both are "one output row per task": a row of C is the weighted sum of the
// rows of B selected by one row (or column) of A, so threads own output rows and need no atomics.
#include <algorithm>

#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"
#include "simd.h"

namespace kernels::cpu {
namespace {

// The nonzeros of one row of the sparse operand: column q's B row is b + cols[q] * ldb and its value
// is values[positions ? positions[q] : q] (CSC twins read CSR-ordered values through positions).
struct SparseRow {
  const index_t* cols;
  const float* values;
  const offset_t* positions;
  std::int64_t count;
};

// c_row (k) = alpha * sum_q value(q) * B row cols[q] + beta * c_row.
// The output row (k floats, 2 KiB at k = 500) stays in L1 while each nonzero streams one whole,
// contiguous B row through it: sequential reads that the hardware prefetcher follows. (Tiling k into
// register-resident pieces was measured slower: it turns each B row into scattered 256-byte reads.)
KERNELS_CPU_MULTIVERSION
void spmm_row(float* __restrict c_row, std::int64_t k, const SparseRow& row, const float* __restrict b,
              std::int64_t ldb, float alpha, float beta) {
  if (beta == 0.0f) {
    std::fill(c_row, c_row + k, 0.0f);
  } else if (beta != 1.0f) {
    for (std::int64_t j = 0; j < k; ++j) c_row[j] *= beta;
  }
  const auto value = [&](std::int64_t q) {
    return alpha * row.values[row.positions != nullptr ? row.positions[q] : q];
  };
  // Two nonzeros per pass halve the loads and stores of c_row per flop.
  std::int64_t q = 0;
  for (; q + 2 <= row.count; q += 2) {
    const float v0 = value(q);
    const float v1 = value(q + 1);
    const float* __restrict b0 = b + row.cols[q] * ldb;
    const float* __restrict b1 = b + row.cols[q + 1] * ldb;
    for (std::int64_t j = 0; j < k; ++j) c_row[j] += v0 * b0[j] + v1 * b1[j];
  }
  if (q < row.count) {
    const float v0 = value(q);
    const float* __restrict b0 = b + row.cols[q] * ldb;
    for (std::int64_t j = 0; j < k; ++j) c_row[j] += v0 * b0[j];
  }
}

void require_product_shapes(std::int64_t out_rows, std::int64_t inner, MatrixView<const float> b, MatrixView<float> c) {
  detail::require_matrix(b, "B");
  detail::require_matrix(c, "C");
  KERNELS_REQUIRE(b.rows == inner, "B has " << b.rows << " rows, the sparse operand's inner size is " << inner);
  KERNELS_REQUIRE(c.rows == out_rows, "C has " << c.rows << " rows, expected " << out_rows);
  KERNELS_REQUIRE(c.cols == b.cols, "C has " << c.cols << " columns, B has " << b.cols);
}

}  // namespace

// C (m x k) = alpha * A (m x n) . B (n x k) + beta * C.
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c, float alpha,
          float beta) {
  detail::require_csr(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  require_product_shapes(a.rows, a.cols, b, c);
  if (c.cols == 0) return;
    // Rows are heavy-tailed (popular items): dynamic scheduling with small chunks balances them.
#pragma omp parallel for schedule(dynamic, 8)
  for (index_t i = 0; i < a.rows; ++i) {
    const offset_t begin = a.offsets[i];
    const SparseRow row{a.indices + begin, a_values + begin, nullptr, a.offsets[i + 1] - begin};
    spmm_row(c.row(i), c.cols, row, b.data, b.ld, alpha, beta);
  }
}

// C (n x k) = alpha * A^T (n x m) . B (m x k) + beta * C; output row j is column j of A.
void spmm_transposed(const CscPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c,
                     float alpha, float beta) {
  detail::require_csc(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  require_product_shapes(a.cols, a.rows, b, c);
  if (c.cols == 0) return;
#pragma omp parallel for schedule(dynamic, 8)
  for (index_t j = 0; j < a.cols; ++j) {
    const offset_t begin = a.offsets[j];
    const SparseRow column{a.row_indices + begin, a_values, a.csr_positions + begin, a.offsets[j + 1] - begin};
    spmm_row(c.row(j), c.cols, column, b.data, b.ld, alpha, beta);
  }
}

}  // namespace kernels::cpu
