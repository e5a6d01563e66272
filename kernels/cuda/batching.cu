// Mini-batches formed on the device (see cpu.h): gather_rows copies the rows of a resident CSR matrix in
// an epoch's order, csr_to_csc builds the batch's CSC twin. Only launches on the caller's stream: no
// host work, no synchronisation, so a whole epoch of batches can be queued.
//
// gather_rows: one block scans the rows' lengths into the batch offsets (a batch has at most a few
// thousand rows); then one warp per row copies its indices and values.
// csr_to_csc: count the nonzeros of each column (integer atomics: the counts, and so the offsets, are
// exact), prefix-sum the counts over all columns (per-tile sums, a one-block scan of the tile sums, then
// each tile's scan), scatter every nonzero to its column with an atomic cursor, and finally sort each
// column's few entries by row (one thread per column): the result is canonical, the same bits as the
// CPU's counting sort, whatever order the atomics took.
#include "block_scan.cuh"
#include "common.cuh"
#include "kernels/cuda.h"

namespace kernels::cuda {
namespace {

constexpr int kThreads = detail::kScanThreads;

struct RowLength {
  const offset_t* offsets;
  const index_t* rows;
  __device__ offset_t operator()(std::int64_t r) const {
    const index_t row = __ldg(rows + r);
    return __ldg(offsets + row + 1) - __ldg(offsets + row);
  }
};

__global__ void __launch_bounds__(kThreads) gather_offsets_kernel(const offset_t* offsets, const index_t* rows,
                                                                  index_t count, offset_t* out_offsets) {
  detail::single_block_scan(count, 0, RowLength{offsets, rows}, out_offsets);
}

// One warp per batch row: lanes copy the row's nonzeros.
__global__ void __launch_bounds__(kThreads) gather_entries_kernel(const offset_t* __restrict__ offsets,
                                                                  const index_t* __restrict__ indices,
                                                                  const float* __restrict__ values,
                                                                  const index_t* __restrict__ rows, index_t count,
                                                                  const offset_t* __restrict__ out_offsets,
                                                                  index_t* __restrict__ out_indices,
                                                                  float* __restrict__ out_values) {
  const std::int64_t r = (std::int64_t{blockIdx.x} * kThreads + threadIdx.x) / detail::kWarp;
  if (r >= count) return;
  const offset_t source = __ldg(offsets + __ldg(rows + r));
  const offset_t length = out_offsets[r + 1] - out_offsets[r];
  for (offset_t q = threadIdx.x % detail::kWarp; q < length; q += detail::kWarp) {
    out_indices[out_offsets[r] + q] = __ldg(indices + source + q);
    out_values[out_offsets[r] + q] = __ldg(values + source + q);
  }
}

__global__ void zero_kernel(offset_t* x, std::int64_t n) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) x[i] = 0;
}

__global__ void count_columns_kernel(const index_t* __restrict__ indices, offset_t nnz, offset_t* counts) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t p = g.first; p < nnz; p += g.stride) {
    atomicAdd(reinterpret_cast<unsigned long long*>(counts + __ldg(indices + p)), 1ull);
  }
}

// tile_sums[t] = sum of counts over tile t (kCscScanTile columns).
__global__ void __launch_bounds__(kThreads) tile_sums_kernel(const offset_t* __restrict__ counts, index_t cols,
                                                             offset_t* __restrict__ tile_sums) {
  __shared__ offset_t scan[kThreads];
  const std::int64_t first = std::int64_t{blockIdx.x} * kCscScanTile;
  offset_t sum = 0;
  for (std::int64_t j = first + threadIdx.x; j < first + kCscScanTile && j < cols; j += kThreads) sum += counts[j];
  offset_t total = 0;
  detail::block_inclusive_scan(sum, scan, &total);
  if (threadIdx.x == 0) tile_sums[blockIdx.x] = total;
}

struct ArrayValue {
  const offset_t* values;
  __device__ offset_t operator()(std::int64_t i) const { return values[i]; }
};

__global__ void __launch_bounds__(kThreads) scan_tile_sums_kernel(const offset_t* tile_sums, std::int64_t tiles,
                                                                  offset_t* tile_prefix) {
  detail::single_block_scan(tiles, 0, ArrayValue{tile_sums}, tile_prefix);
}

// csc_offsets[j + 1] = prefix of counts through column j; the cursor of column j starts at csc_offsets[j].
__global__ void __launch_bounds__(kThreads) tile_scan_kernel(offset_t* __restrict__ counts_then_cursors, index_t cols,
                                                             const offset_t* __restrict__ tile_prefix,
                                                             offset_t* __restrict__ csc_offsets) {
  __shared__ offset_t scan[kThreads];
  const std::int64_t first = std::int64_t{blockIdx.x} * kCscScanTile;
  offset_t carry = tile_prefix[blockIdx.x];
  if (blockIdx.x == 0 && threadIdx.x == 0) csc_offsets[0] = 0;
  for (std::int64_t base = first; base < first + kCscScanTile && base < cols; base += kThreads) {
    const std::int64_t j = base + threadIdx.x;
    const offset_t count = j < cols ? counts_then_cursors[j] : 0;
    offset_t total = 0;
    const offset_t inclusive = detail::block_inclusive_scan(count, scan, &total);
    if (j < cols) {
      csc_offsets[j + 1] = carry + inclusive;
      counts_then_cursors[j] = carry + inclusive - count;  // the column's first slot
    }
    carry += total;
  }
}

// One warp per row: every nonzero takes the next slot of its column.
__global__ void __launch_bounds__(kThreads) scatter_kernel(const offset_t* __restrict__ offsets,
                                                           const index_t* __restrict__ indices, index_t rows,
                                                           offset_t* cursors, index_t* __restrict__ csc_rows,
                                                           offset_t* __restrict__ csc_positions) {
  const std::int64_t i = (std::int64_t{blockIdx.x} * kThreads + threadIdx.x) / detail::kWarp;
  if (i >= rows) return;
  for (offset_t p = __ldg(offsets + i) + threadIdx.x % detail::kWarp; p < __ldg(offsets + i + 1);
       p += detail::kWarp) {
    const auto slot = static_cast<offset_t>(
        atomicAdd(reinterpret_cast<unsigned long long*>(cursors + __ldg(indices + p)), 1ull));
    csc_rows[slot] = static_cast<index_t>(i);
    csc_positions[slot] = p;
  }
}

// Each column's entries by ascending row (insertion sort: a batch column holds a few entries, at most
// the batch's row count).
__global__ void sort_columns_kernel(const offset_t* __restrict__ csc_offsets, index_t cols, index_t* csc_rows,
                                    offset_t* csc_positions) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t j = g.first; j < cols; j += g.stride) {
    const offset_t begin = csc_offsets[j];
    const offset_t end = csc_offsets[j + 1];
    for (offset_t q = begin + 1; q < end; ++q) {
      const index_t row = csc_rows[q];
      const offset_t position = csc_positions[q];
      offset_t at = q;
      for (; at > begin && csc_rows[at - 1] > row; --at) {
        csc_rows[at] = csc_rows[at - 1];
        csc_positions[at] = csc_positions[at - 1];
      }
      csc_rows[at] = row;
      csc_positions[at] = position;
    }
  }
}

unsigned warps_blocks(std::int64_t warps) { return blocks_for(warps, kThreads / detail::kWarp); }

}  // namespace

void gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count, offset_t* out_offsets,
                 index_t* out_indices, float* out_values, cudaStream_t stream) {
  detail::require_csr(a, "A");
  detail::require_array(values, a.nnz, "A values");
  detail::require_gather_rows(rows, count, out_offsets);
  cuda::launch(dim3(1), dim3(kThreads), 0, stream, gather_offsets_kernel, a.offsets, rows, count, out_offsets);
  if (count == 0) return;
  cuda::launch(dim3(warps_blocks(count)), dim3(kThreads), 0, stream, gather_entries_kernel, a.offsets, a.indices,
               values, rows, count, static_cast<const offset_t*>(out_offsets), out_indices, out_values);
}

void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                offset_t* scratch, cudaStream_t stream) {
  detail::require_csr(a, "A");
  detail::require_csr_to_csc(a, csc_offsets, csc_rows, csc_positions, scratch);
  const std::int64_t tiles = (std::int64_t{a.cols} + kCscScanTile - 1) / kCscScanTile;
  offset_t* cursors = scratch;                      // (cols): counts, then each column's next slot
  offset_t* tile_sums = scratch + a.cols + 1;       // (tiles)
  offset_t* tile_prefix = tile_sums + tiles + 1;    // (tiles + 1)
  if (a.cols == 0) return;
  const dim3 flat(detail::kFlatThreads);
  cuda::launch(dim3(detail::grid_stride_blocks(a.cols)), flat, 0, stream, zero_kernel, cursors, std::int64_t{a.cols});
  if (a.nnz > 0) {
    cuda::launch(dim3(detail::grid_stride_blocks(a.nnz)), flat, 0, stream, count_columns_kernel, a.indices, a.nnz,
                 cursors);
  }
  cuda::launch(dim3(static_cast<unsigned>(tiles)), dim3(kThreads), 0, stream, tile_sums_kernel,
               static_cast<const offset_t*>(cursors), a.cols, tile_sums);
  cuda::launch(dim3(1), dim3(kThreads), 0, stream, scan_tile_sums_kernel, static_cast<const offset_t*>(tile_sums),
               tiles, tile_prefix);
  cuda::launch(dim3(static_cast<unsigned>(tiles)), dim3(kThreads), 0, stream, tile_scan_kernel, cursors, a.cols,
               static_cast<const offset_t*>(tile_prefix), csc_offsets);
  if (a.nnz == 0) return;
  cuda::launch(dim3(warps_blocks(a.rows)), dim3(kThreads), 0, stream, scatter_kernel, a.offsets, a.indices, a.rows,
               cursors, csc_rows, csc_positions);
  cuda::launch(dim3(detail::grid_stride_blocks(a.cols)), flat, 0, stream, sort_columns_kernel,
               static_cast<const offset_t*>(csc_offsets), a.cols, csc_rows, csc_positions);
}

}  // namespace kernels::cuda
