// The cost model of one call of each op bench_kernels times, on a GPU the model describes (gpu_spec.h):
// the bytes the op must move, the bytes our kernel's design moves, and a modeled time from the same
// block-level makespan as the epoch model (block_makespan.h). bench_kernels --model prints it beside the
// measured times; on a GPU the ratio measured / modeled is the model's error, published per op.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpu_spec.h"

namespace bench {

// A sparse operand A (rows x cols) by its row and column lengths, and the dense width k.
struct KernelShape {
  std::int64_t rows = 0, cols = 0, nnz = 0, k = 0;
  std::vector<std::int64_t> row_lengths, col_lengths;
};

struct KernelModel {
  double compulsory_bytes = 0.0;
  double design_bytes = 0.0;
  double seconds = 0.0;  // including one launch per kernel
};

// op: spmm, spmm_bf16 (spmm over a bf16 table, modeled only), spmm_transposed, sddmm, sddmm_squared_error, bias_activation, column_sums, dense_gemm,
// adam_update (bench/kernels/ops.h); throws std::invalid_argument for any other name.
KernelModel model_kernel(const GpuSpec& gpu, const std::string& op, const KernelShape& shape);

}  // namespace bench
