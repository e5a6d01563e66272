// Mini-batches formed where the data lives: the rows of a CSR matrix gathered in a given order, and the
// CSC twin of a CSR pattern. The CPU versions of kernels/cuda/batching.cu (same outputs exactly: the CSC
// lists each column's rows in ascending order).
#include <omp.h>

#include <algorithm>
#include <vector>

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
    KERNELS_REQUIRE(row >= 0 && row < a.rows, "gather_rows: row ", row, " outside [0, ", a.rows, ")");
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

namespace {

// Above this many nonzeros the CSC twin is built by all threads (a training mini-batch stays below it).
constexpr offset_t kParallelCscNnz = offset_t{1} << 22;

// The first row of part t of `parts` with about equal nonzeros.
index_t row_split(const CsrPattern& a, int t, int parts) {
  const offset_t target = a.nnz * t / parts;
  return static_cast<index_t>(std::lower_bound(a.offsets, a.offsets + a.rows, target) - a.offsets);
}

// Columns per block of the blocked scatter below: the block's cursors (32 KiB) stay in L1/L2.
constexpr index_t kCscBlockColumns = 4096;

// The CSC twin of a large matrix, by all threads and cache-friendly. A plain counting sort scatters
// every nonzero to a random place among all columns (Netflix: 480k of them, ~1 GB of output), one cache
// miss each. Here: (1) each thread counts the columns of its own block of rows; (2) each thread streams
// its (CSR position, column) pairs into the output range of their column block (one write stream per
// block), after the earlier threads' pairs of that block; (3) each column block, ~nnz / blocks pairs in
// ascending CSR position, is copied aside and placed by column, the row recovered from the position by
// a pointer that only moves forward. Same output as the serial sort: each column's rows ascending.
void csr_to_csc_parallel(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions) {
  const int max_threads = omp_get_max_threads();
  const auto stride = static_cast<std::size_t>(a.cols);
  const index_t blocks = (a.cols + kCscBlockColumns - 1) / kCscBlockColumns;
  std::vector<offset_t> column_count(static_cast<std::size_t>(max_threads) * stride, 0);
  std::vector<offset_t> block_cursor(static_cast<std::size_t>(max_threads) * static_cast<std::size_t>(blocks), 0);
#pragma omp parallel num_threads(max_threads)
  {
    const int team = omp_get_num_threads(), t = omp_get_thread_num();
    const index_t first = row_split(a, t, team), last = t + 1 == team ? a.rows : row_split(a, t + 1, team);
    offset_t* mine = column_count.data() + static_cast<std::size_t>(t) * stride;
    for (offset_t p = a.offsets[first]; p < a.offsets[last]; ++p) ++mine[a.indices[p]];
#pragma omp barrier
#pragma omp single
    {
      csc_offsets[0] = 0;
      for (std::size_t j = 0; j < stride; ++j) {
        offset_t total = 0;
        for (int u = 0; u < team; ++u) total += column_count[static_cast<std::size_t>(u) * stride + j];
        csc_offsets[j + 1] = csc_offsets[j] + total;
      }
      for (index_t b = 0; b < blocks; ++b) {
        const index_t begin = b * kCscBlockColumns, end = std::min(a.cols, begin + kCscBlockColumns);
        offset_t base = csc_offsets[begin];
        for (int u = 0; u < team; ++u) {
          block_cursor[static_cast<std::size_t>(u) * static_cast<std::size_t>(blocks) + static_cast<std::size_t>(b)] = base;
          for (index_t j = begin; j < end; ++j) base += column_count[static_cast<std::size_t>(u) * stride + static_cast<std::size_t>(j)];
        }
      }
    }
    offset_t* my_blocks = block_cursor.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(blocks);
    for (offset_t p = a.offsets[first]; p < a.offsets[last]; ++p) {
      const index_t j = a.indices[p];
      const offset_t staged = my_blocks[j / kCscBlockColumns]++;
      csc_positions[staged] = p;
      csc_rows[staged] = j;  // the column for now; step 3 puts the row here
    }
#pragma omp barrier
    std::vector<offset_t> pending_positions;
    std::vector<index_t> pending_columns;
    std::vector<offset_t> cursor(static_cast<std::size_t>(kCscBlockColumns));
#pragma omp for schedule(dynamic, 1)
    for (index_t b = 0; b < blocks; ++b) {
      const index_t begin = b * kCscBlockColumns, end = std::min(a.cols, begin + kCscBlockColumns);
      const offset_t from = csc_offsets[begin], to = csc_offsets[end];
      pending_positions.assign(csc_positions + from, csc_positions + to);
      pending_columns.assign(csc_rows + from, csc_rows + to);
      std::copy(csc_offsets + begin, csc_offsets + end, cursor.begin());
      index_t row = 0;
      for (std::size_t k = 0; k < pending_positions.size(); ++k) {
        const offset_t p = pending_positions[k];
        while (a.offsets[row + 1] <= p) ++row;
        const offset_t placed = cursor[static_cast<std::size_t>(pending_columns[k] - begin)]++;
        csc_rows[placed] = row;
        csc_positions[placed] = p;
      }
    }
  }
}

}  // namespace

// A counting sort by column; walking the rows in order leaves each column's rows ascending.
void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                offset_t* scratch) {
  detail::require_csr(a, "A");
  kernels::detail::require_csr_to_csc(a, csc_offsets, csc_rows, csc_positions, scratch);
  if (a.nnz > kParallelCscNnz && omp_get_max_threads() > 1) {
    csr_to_csc_parallel(a, csc_offsets, csc_rows, csc_positions);
    return;
  }
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
