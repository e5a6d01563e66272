// Non-owning views that every kernel takes: raw pointers plus sizes, nothing else.
// The kernels layer never allocates and never owns; these structs only describe memory that the
// caller (the engine, a benchmark, a user) owns, on the host or on a device.
#pragma once

#include <cstdint>
#include <type_traits>

// nvcc needs the annotations; the host compiler (plain C++ and the SIMT emulation) does not.
#if defined(__CUDACC__)
#define KERNELS_HOST_DEVICE __host__ __device__
#else
#define KERNELS_HOST_DEVICE
#endif

namespace kernels {

// Row/column indices fit in 32 bits (2^31 users or items); nonzero positions need 64 bits
// (ML-20M-sized data sets replicated, Netflix-scale synthetic data can pass 2^31 ratings).
using index_t = std::int32_t;
using offset_t = std::int64_t;

// Row-major dense matrix: element (i, j) lives at data[i * ld + j], ld >= cols.
template <class T>
struct MatrixView {
  T* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;

  KERNELS_HOST_DEVICE T& operator()(std::int64_t i, std::int64_t j) const { return data[i * ld + j]; }
  KERNELS_HOST_DEVICE T* row(std::int64_t i) const { return data + i * ld; }
  // A mutable view converts to a read-only one of the same element type (declared for mutable element
  // types only; U is deduced from the target, so it must be T: a float view is no bf16 view).
  template <class U = T, class = std::enable_if_t<!std::is_const_v<U> && std::is_same_v<U, T>>>
  KERNELS_HOST_DEVICE operator MatrixView<const U>() const {
    return {data, rows, cols, ld};
  }
};

// Sparsity pattern of a rows x cols matrix in CSR: the column indices of row i are
// indices[offsets[i] .. offsets[i+1]), sorted ascending. Values are passed separately, in the same
// order, so that one pattern serves ratings, predictions and errors alike.
struct CsrPattern {
  index_t rows = 0;
  index_t cols = 0;
  offset_t nnz = 0;
  const offset_t* offsets = nullptr;  // (rows + 1)
  const index_t* indices = nullptr;   // (nnz) column of each nonzero
};

// The same matrix seen by column (the CSC "twin"): the row indices of column j are
// row_indices[offsets[j] .. offsets[j+1]), sorted ascending, and csr_positions maps each CSC entry to
// the position of its value in the CSR-ordered value array. Transposed products read CSR-ordered
// values through it, so each output row is owned by one worker: no atomics, deterministic sums.
struct CscPattern {
  index_t rows = 0;
  index_t cols = 0;
  offset_t nnz = 0;
  const offset_t* offsets = nullptr;        // (cols + 1)
  const index_t* row_indices = nullptr;     // (nnz)
  const offset_t* csr_positions = nullptr;  // (nnz)
};

}  // namespace kernels
