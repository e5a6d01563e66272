// A compressed sparse operand seen as a list of slices (private to kernels/cpu): the rows of a CSR
// pattern, or the columns of its CSC twin, whose values are read from the CSR-ordered value array
// through csr_positions. Kernels that produce one output per slice (spmm and spmm_transposed, the
// sparse row and column sums) are then written once for both orientations.
#pragma once

#include <cstdint>

#include "kernels/views.h"

namespace kernels::cpu::detail {

// The nonzeros of one slice: nonzero q has index indices[q] and value values[positions ? positions[q] : q].
struct SparseSlice {
  const index_t* indices;
  const float* values;
  const offset_t* positions;
  std::int64_t count;

  float value(std::int64_t q) const { return values[positions != nullptr ? positions[q] : q]; }
};

struct SparseSlices {
  index_t count = 0;
  const offset_t* offsets = nullptr;    // (count + 1)
  const index_t* indices = nullptr;     // (nnz)
  const offset_t* positions = nullptr;  // (nnz) into values, or null: values are in slice order
  const float* values = nullptr;        // (nnz)

  SparseSlice slice(index_t s) const {
    const offset_t begin = offsets[s];
    // Positions address the whole value array; without them the slice's values start at begin.
    if (positions != nullptr) return {indices + begin, values, positions + begin, offsets[s + 1] - begin};
    return {indices + begin, values + begin, nullptr, offsets[s + 1] - begin};
  }
};

inline SparseSlices csr_rows(const CsrPattern& a, const float* values) {
  return {a.rows, a.offsets, a.indices, nullptr, values};
}

inline SparseSlices csc_columns(const CscPattern& a, const float* values) {
  return {a.cols, a.offsets, a.row_indices, a.csr_positions, values};
}

}  // namespace kernels::cpu::detail
