// Precondition checks of the CPU kernels (private to kernels/cpu): the checks shared with the CUDA
// kernels (kernels/preconditions.h), plus what only the CPU can afford to check because its index
// arrays live in host memory: the two ends of a pattern's offsets. Each check is O(1): the kernels trust
// the contents of the index arrays and only verify what is cheap to verify.
#pragma once

#include <cstdint>

#include "kernels/check.h"
#include "kernels/preconditions.h"
#include "kernels/views.h"

namespace kernels::cpu::detail {

// detail::require_matrix and the other shared checks; require_csr and require_csc below hide the
// shared ones, which they extend.
using namespace kernels::detail;

// offsets[0] == 0 and offsets[outer] == nnz: the slices cover exactly the nnz nonzeros.
inline void require_offset_ends(const offset_t* offsets, std::int64_t outer, std::int64_t nnz, const char* name) {
  if (offsets == nullptr) return;  // allowed for outer == 0 (checked by the shared part)
  KERNELS_REQUIRE(offsets[0] == 0 && offsets[outer] == nnz,
                  name, " offsets run from ", offsets[0], " to ", offsets[outer], ", nnz is ", nnz);
}

inline void require_csr(const CsrPattern& a, const char* name) {
  kernels::detail::require_csr(a, name);
  require_offset_ends(a.offsets, a.rows, a.nnz, name);
}

inline void require_csc(const CscPattern& a, const char* name) {
  kernels::detail::require_csc(a, name);
  require_offset_ends(a.offsets, a.cols, a.nnz, name);
}

// out = alpha * sum + beta * old, where beta == 0 overwrites (a NaN in old does not survive).
inline float blend(double sum, float alpha, float beta, float old) {
  const float scaled = static_cast<float>(alpha * sum);
  return beta == 0.0f ? scaled : scaled + beta * old;
}

}  // namespace kernels::cpu::detail
