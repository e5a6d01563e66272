// Internal helpers shared by the cuSPARSE plans: operand checks and descriptor construction for
// our layouts (row-major dense with ld; CSR with 32-bit offsets and indices).
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/check.h"
#include "kernels/vendor.h"
#include "vendor_check.h"

namespace kernels::vendor::detail {

// cuSPARSE gets one index type for offsets and indices; ours are 32-bit indices, so nnz must fit.
inline void require_32bit_nnz(offset_t nnz) {
  KERNELS_REQUIRE(nnz > 0 && nnz <= std::numeric_limits<std::int32_t>::max(),
                  "vendor baseline needs 0 < nnz < 2^31, got nnz=", nnz);
}

inline cusparseConstDnMatDescr_t make_dense(MatrixView<const float> m) {
  cusparseConstDnMatDescr_t descriptor = nullptr;
  KERNELS_CUSPARSE_CHECK(
      cusparseCreateConstDnMat(&descriptor, m.rows, m.cols, m.ld, m.data, CUDA_R_32F, CUSPARSE_ORDER_ROW));
  return descriptor;
}

inline cusparseDnMatDescr_t make_dense(MatrixView<float> m) {
  cusparseDnMatDescr_t descriptor = nullptr;
  KERNELS_CUSPARSE_CHECK(cusparseCreateDnMat(&descriptor, m.rows, m.cols, m.ld, m.data, CUDA_R_32F, CUSPARSE_ORDER_ROW));
  return descriptor;
}

// A rows x cols CSR matrix on 32-bit offsets (already narrowed) and our 32-bit column indices.
inline cusparseSpMatDescr_t make_csr(std::int64_t rows, std::int64_t cols, offset_t nnz, std::int32_t* offsets32,
                                     const index_t* indices, const float* values) {
  cusparseSpMatDescr_t descriptor = nullptr;
  // cusparseCreateCsr takes non-const pointers for matrices it may write; SpMM only reads A.
  KERNELS_CUSPARSE_CHECK(cusparseCreateCsr(&descriptor, rows, cols, nnz, offsets32, const_cast<index_t*>(indices),
                                           const_cast<float*>(values), CUSPARSE_INDEX_32I, CUSPARSE_INDEX_32I,
                                           CUSPARSE_INDEX_BASE_ZERO, CUDA_R_32F));
  return descriptor;
}

// Zeroes a dense matrix's cols x rows elements (not its ld padding): beta == 0 must overwrite C even
// where it holds NaN, whatever the library does with 0 * C.
inline void zero_matrix(MatrixView<float> c, cudaStream_t stream) {
  KERNELS_CUDA_CHECK(cudaMemset2DAsync(c.data, static_cast<std::size_t>(c.ld) * sizeof(float), 0,
                                       static_cast<std::size_t>(c.cols) * sizeof(float),
                                       static_cast<std::size_t>(c.rows), stream));
}

inline cudaStream_t stream_of(cusparseHandle_t handle) {
  cudaStream_t stream = nullptr;
  KERNELS_CUSPARSE_CHECK(cusparseGetStream(handle, &stream));
  return stream;
}

}  // namespace kernels::vendor::detail
