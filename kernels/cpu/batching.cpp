// Mini-batches formed where the data lives: the rows of a CSR matrix gathered in a given order, and the
// CSC twin of a CSR pattern. The CPU versions of kernels/cuda/batching.cu (same outputs exactly: the CSC
// lists each column's rows in ascending order).
#include <algorithm>

#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"

namespace kernels::cpu {

void gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count, offset_t* out_offsets,
                 index_t* out_indices, float* out_values) {
  detail::require_csr(a, "A");
  detail::require_array(values, a.nnz, "A values");
  kernels::detail::require_gather_rows(rows, count, out_offsets);
  out_offsets[0] = 0;
  for (index_t r = 0; r < count; ++r) {
    const index_t row = rows[r];
    KERNELS_REQUIRE(row >= 0 && row < a.rows, "gather_rows: row " << row << " outside [0, " << a.rows << ")");
    out_offsets[r + 1] = out_offsets[r] + (a.offsets[row + 1] - a.offsets[row]);
  }
#pragma omp parallel for schedule(dynamic, 16) if (out_offsets[count] > (1 << 16))
  for (index_t r = 0; r < count; ++r) {
    const offset_t first = a.offsets[rows[r]];
    const offset_t length = a.offsets[rows[r] + 1] - first;
    std::copy_n(a.indices + first, length, out_indices + out_offsets[r]);
    std::copy_n(values + first, length, out_values + out_offsets[r]);
  }
}

// A counting sort by column; walking the rows in order leaves each column's rows ascending.
void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                offset_t* scratch) {
  detail::require_csr(a, "A");
  kernels::detail::require_csr_to_csc(a, csc_offsets, csc_rows, csc_positions, scratch);
  std::fill(csc_offsets, csc_offsets + a.cols + 1, offset_t{0});
  for (offset_t p = 0; p < a.nnz; ++p) ++csc_offsets[a.indices[p] + 1];
  for (index_t j = 0; j < a.cols; ++j) csc_offsets[j + 1] += csc_offsets[j];
  std::copy_n(csc_offsets, a.cols, scratch);  // the next free slot of each column
  for (index_t i = 0; i < a.rows; ++i) {
    for (offset_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p) {
      const offset_t slot = scratch[a.indices[p]]++;
      csc_rows[slot] = i;
      csc_positions[slot] = p;
    }
  }
}

}  // namespace kernels::cpu
