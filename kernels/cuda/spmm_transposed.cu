// Transposed SpMM through the CSC twin: C (n x k) = alpha * A^T (n x m) . B (m x k) + beta * C.
//
// Output row j of C is column j of A, whose nonzeros the CSC twin lists contiguously; their values are
// read from the CSR-ordered array through csr_positions. So the product is the same "sparse rows times
// dense" kernel as spmm.cu (a group of lanes per output row, long columns shared by a block): every
// output row is owned by one group or one block, with no atomics and a deterministic summation order.
// This is how the backward pass forms dW = E^T . H and dV = X^T . dZ without scattering into C.
#include "common.cuh"
#include "kernels/cuda.h"
#include "sparse_rows.h"

namespace kernels::cuda {

void spmm_transposed(const CscPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c,
                     float alpha, float beta, cudaStream_t stream) {
  detail::require_csc(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  const detail::SparseRows columns{a.cols, a.offsets, a.row_indices, a.csr_positions, a_values};
  detail::sparse_rows_times_dense(columns, a.rows, b, c, alpha, beta, stream);
}

// The same product with the optimizer step as its epilogue (see spmm.cu): every weight row has one owner
// (a group, or the block for a long column), which finishes its gradient and updates it in place.
void spmm_transposed_update(const CscPattern& a, const float* a_values, MatrixView<const float> b, float alpha,
                            MatrixView<float> w, const WeightUpdate& update, cudaStream_t stream) {
  detail::require_csc(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  const detail::SparseRows columns{a.cols, a.offsets, a.row_indices, a.csr_positions, a_values};
  detail::sparse_rows_update(columns, a.rows, b, alpha, w, update, stream);
}

}  // namespace kernels::cuda
