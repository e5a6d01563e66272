// What the cost models share: the sparse kernels' geometry (kernels/cuda), and the time of a grid from
// its blocks' bytes, dealt to the SMs as the hardware scheduler deals them.
#pragma once

#include <cstdint>
#include <vector>

#include "gpu_spec.h"

namespace bench::geometry {

constexpr double kFloat = 4.0;
constexpr double kIndex = 4.0;
constexpr double kOffset = 8.0;
constexpr double kBf16 = 2.0;  // an element of a bf16 table (`--precision bf16`)
// 32-lane groups with float4 lanes for k >= 64, so a block of 256 threads owns 8 rows and a tile of
// 128 columns; the fused output layer gives each warp a segment of at most 64 nonzeros of one row.
constexpr std::int64_t kRowsPerBlock = 8;
constexpr std::int64_t kTileColumns = 128;
constexpr std::int64_t kSegment = 64;
// spmm's long rows (more than 16 chunks of 32 nonzeros) and, in split mode, their segments.
constexpr std::int64_t kLongRow = 512;
constexpr std::int64_t kLongSegment = 1024;

// The engine's leading dimension for k columns.
inline std::int64_t padded(std::int64_t k) { return k < 32 ? k : (k + 31) / 32 * 32; }

// The time of a grid whose block b moves block_bytes[b]: blocks dealt in grid order to the least loaded
// SM, each SM streaming at its share of `bandwidth`.
double makespan(const std::vector<double>& block_bytes, const GpuSpec& gpu, double bandwidth);

// Where gathers of a table of `table_bytes` are served from: L2 when it fits with room to spare.
double gather_bandwidth(const GpuSpec& gpu, double table_bytes);

// The per-block bytes of a "sparse rows times dense" grid (spmm, and spmm_transposed over CSC columns)
// for rows of the given lengths: 8 rows per block, one 128-column tile per block, `per_nonzero_extra`
// bytes of index/value traffic per nonzero besides the gathered tile. Long rows stay in their block,
// or (split) become blocks of 1,024 nonzeros per tile whose partial sums are written and added back.
// element_bytes: of the gathered table (kFloat, or kBf16 for a bf16 table; the sums stay fp32).
std::vector<double> sparse_rows_blocks(const std::vector<std::int64_t>& lengths, std::int64_t k, bool split,
                                       double per_nonzero_extra, double element_bytes = kFloat);

}  // namespace bench::geometry
