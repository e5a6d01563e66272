// Sizes shared by the CPU and CUDA batching kernels (gather_rows, csr_to_csc in cpu.h and cuda.h).
#pragma once

#include <cstdint>

#include "kernels/views.h"

namespace kernels {

// Columns per block of the CUDA CSC build's prefix sum.
inline constexpr std::int64_t kCscScanTile = 4096;

// Offsets of scratch that csr_to_csc needs for a pattern with `cols` columns: a cursor per column and
// the prefix sums of the scan's tiles.
inline std::int64_t csr_to_csc_scratch(index_t cols) {
  const std::int64_t tiles = (std::int64_t{cols} + kCscScanTile - 1) / kCscScanTile;
  return std::int64_t{cols} + 1 + 2 * (tiles + 1);
}

}  // namespace kernels
