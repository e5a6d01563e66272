// Block-wide prefix sums (private to kernels/cuda): the one-block scans that number segments of rows
// (the fused output layer, split long rows) and form batch offsets. Hillis-Steele in shared memory:
// the arrays scanned here have at most a few thousand entries per block pass, so the simple form wins.
#pragma once

#include <cstdint>

#include "common.cuh"

namespace kernels::cuda::detail {

inline constexpr int kScanThreads = 256;

// Inclusive prefix of `value` over the block (kScanThreads threads); *total = the block's sum.
__device__ inline offset_t block_inclusive_scan(offset_t value, offset_t* scan, offset_t* total) {
  scan[threadIdx.x] = value;
  __syncthreads();
  for (int stride = 1; stride < kScanThreads; stride *= 2) {
    const offset_t add = threadIdx.x >= static_cast<unsigned>(stride) ? scan[threadIdx.x - stride] : 0;
    __syncthreads();
    scan[threadIdx.x] += add;
    __syncthreads();
  }
  const offset_t inclusive = scan[threadIdx.x];
  *total = scan[kScanThreads - 1];
  __syncthreads();  // scan[] may be reused by the caller's next chunk
  return inclusive;
}

// out[0] = first, out[i + 1] = out[i] + value(i) for i < n, by one block walking chunks of kScanThreads.
template <class Value>
__device__ void single_block_scan(std::int64_t n, offset_t first, const Value& value, offset_t* out) {
  __shared__ offset_t scan[kScanThreads];
  offset_t carry = first;
  if (threadIdx.x == 0) out[0] = first;
  for (std::int64_t base = 0; base < n; base += kScanThreads) {
    const std::int64_t i = base + threadIdx.x;
    offset_t total = 0;
    const offset_t inclusive = block_inclusive_scan(i < n ? value(i) : 0, scan, &total);
    if (i < n) out[i + 1] = carry + inclusive;
    carry += total;
  }
}

// The segment holding item s of a numbering first[0..rows] (first[i] = first segment of row i): the
// last i with first[i] <= s. Rows without segments share their first[] with the next row, so "last"
// skips them.
__device__ inline index_t row_of_segment(const offset_t* __restrict__ first, index_t rows, offset_t s) {
  index_t low = 0;
  index_t high = rows - 1;
  while (low < high) {
    const index_t middle = low + (high - low + 1) / 2;
    if (first[middle] <= s) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

}  // namespace kernels::cuda::detail
