// The kernel shared by spmm and spmm_transposed (private to kernels/cuda): every output row is a
// weighted sum of rows of a dense matrix B, selected by one compressed row of a sparse operand (a CSR
// row, or a CSC column read through csr_positions). Defined in spmm.cu.
#pragma once

#include <cstdint>

#include "kernels/cuda_platform.h"
#include "kernels/bfloat16.h"
#include "kernels/views.h"
#include "kernels/weight_update.h"

namespace kernels::cuda::detail {

// Compressed rows of a sparse operand: row r holds the nonzeros q in [offsets[r], offsets[r+1]), which
// select B row indices[q] with weight values[positions ? positions[q] : q].
struct SparseRows {
  index_t count = 0;
  const offset_t* offsets = nullptr;    // (count + 1)
  const index_t* indices = nullptr;     // (nnz)
  const offset_t* positions = nullptr;  // (nnz) or null
  const float* values = nullptr;        // (nnz)
};

// C (count x k) = alpha * S . B (inner x k) + beta * C, after checking the shapes (B must have `inner` rows).
// TB: B's element type, float or bfloat16 (spmm.cu instantiates float for the transposed products).
template <class TB>
void sparse_rows_times_dense(const SparseRows& s, std::int64_t inner, MatrixView<const TB> b, MatrixView<float> c,
                             float alpha, float beta, cudaStream_t stream);

// W (count x k) takes one optimizer step per element with gradient alpha * (S . B), formed in registers.
void sparse_rows_update(const SparseRows& s, std::int64_t inner, MatrixView<const float> b, float alpha,
                        MatrixView<float> w, const WeightUpdate& update, cudaStream_t stream);

}  // namespace kernels::cuda::detail
