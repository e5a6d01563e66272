// Shared precondition checks of the CPU kernels (private to kernels/cpu). Each check is O(1): the
// kernels trust the contents of the index arrays and only verify what is cheap to verify.
#pragma once

#include <cstdint>

#include "kernels/check.h"
#include "kernels/views.h"

namespace kernels::cpu::detail {

// A dense operand: non-negative shape, ld >= cols, and memory behind it when it is not empty.
template <class T>
void require_matrix(const MatrixView<T>& m, const char* name) {
  KERNELS_REQUIRE(m.rows >= 0 && m.cols >= 0, name << " has a negative shape " << m.rows << " x " << m.cols);
  KERNELS_REQUIRE(m.ld >= m.cols, name << ": leading dimension " << m.ld << " < cols " << m.cols);
  KERNELS_REQUIRE(m.data != nullptr || m.rows == 0 || m.cols == 0,
                  name << " is null but has shape " << m.rows << " x " << m.cols);
}

template <class T, class U>
void require_same_shape(const MatrixView<T>& a, const MatrixView<U>& b, const char* a_name, const char* b_name) {
  KERNELS_REQUIRE(a.rows == b.rows && a.cols == b.cols, a_name << " is " << a.rows << " x " << a.cols << " but "
                                                               << b_name << " is " << b.rows << " x " << b.cols);
}

// A flat array of n elements.
template <class T>
void require_array(const T* data, std::int64_t n, const char* name) {
  KERNELS_REQUIRE(n >= 0, name << " has negative length " << n);
  KERNELS_REQUIRE(data != nullptr || n == 0, name << " is null but has length " << n);
}

// Checks the shape fields and the first/last offsets (offsets[0] == 0, offsets[outer] == nnz).
inline void require_compressed(std::int64_t rows, std::int64_t cols, std::int64_t nnz, std::int64_t outer,
                               const offset_t* offsets, const index_t* indices, const char* name) {
  KERNELS_REQUIRE(rows >= 0 && cols >= 0 && nnz >= 0,
                  name << " has a negative size: " << rows << " x " << cols << ", nnz " << nnz);
  KERNELS_REQUIRE(offsets != nullptr || outer == 0, name << " has no offsets");
  KERNELS_REQUIRE(indices != nullptr || nnz == 0, name << " has " << nnz << " nonzeros but no indices");
  if (offsets != nullptr) {
    KERNELS_REQUIRE(offsets[0] == 0 && offsets[outer] == nnz,
                    name << " offsets run from " << offsets[0] << " to " << offsets[outer] << ", nnz is " << nnz);
  }
}

inline void require_csr(const CsrPattern& a, const char* name) {
  require_compressed(a.rows, a.cols, a.nnz, a.rows, a.offsets, a.indices, name);
}

inline void require_csc(const CscPattern& a, const char* name) {
  require_compressed(a.rows, a.cols, a.nnz, a.cols, a.offsets, a.row_indices, name);
  KERNELS_REQUIRE(a.csr_positions != nullptr || a.nnz == 0, name << " has no csr_positions");
}

// out = alpha * sum + beta * old, where beta == 0 overwrites (a NaN in old does not survive).
inline float blend(double sum, float alpha, float beta, float old) {
  const float scaled = static_cast<float>(alpha * sum);
  return beta == 0.0f ? scaled : scaled + beta * old;
}

}  // namespace kernels::cpu::detail
