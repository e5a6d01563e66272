#include "kernel_model.h"

#include <stdexcept>

#include "block_makespan.h"

namespace bench {
namespace {

using namespace geometry;

KernelModel streamed(const GpuSpec& gpu, double launches, double compulsory, double design) {
  return {compulsory, design, design / gpu.dram_bytes_per_second + launches * gpu.launch_seconds};
}

}  // namespace

KernelModel model_kernel(const GpuSpec& gpu, const std::string& op, const KernelShape& s) {
  const double m = static_cast<double>(s.rows), n = static_cast<double>(s.cols);
  const double nnz = static_cast<double>(s.nnz), k = static_cast<double>(s.k);
  const double kp = static_cast<double>(padded(s.k));
  if (op == "spmm" || op == "spmm_bf16" || op == "spmm_transposed") {
    // spmm: C (m x k) = A.B, rows of B (n x k) gathered per nonzero; the engine runs it in split mode.
    // spmm_transposed: the same grid over the CSC columns, each value read through its CSR position;
    // long columns stay in one block (no split mode there).
    // spmm_bf16: spmm gathering a bf16 table (`--precision bf16`): half the bytes per gathered row.
    const bool transposed = op == "spmm_transposed";
    const double element = op == "spmm_bf16" ? kBf16 : kFloat;
    const std::vector<std::int64_t>& lengths = transposed ? s.col_lengths : s.row_lengths;
    const double out_rows = transposed ? n : m, table_rows = transposed ? m : n;
    const double extra = transposed ? kIndex + kOffset + kFloat : kIndex + kFloat;
    const double design = nnz * (kp * element + extra) + out_rows * kp * kFloat;
    const double compulsory = table_rows * k * element + nnz * extra + out_rows * k * kFloat;
    const double seconds = makespan(sparse_rows_blocks(lengths, s.k, !transposed, extra, element), gpu,
                                    gather_bandwidth(gpu, table_rows * kp * element));
    return {compulsory, design, seconds + (transposed ? 1 : 4) * gpu.launch_seconds};
  }
  if (op == "sddmm" || op == "sddmm_squared_error") {
    // Nonzeros dealt evenly to warps (kernels/cuda/sddmm.cu): balanced whatever the row lengths. Each
    // nonzero gathers a row of B; A's row stays in L1 across a warp's consecutive nonzeros.
    const double per_nonzero = op == "sddmm" ? kIndex + kFloat : kIndex + 4 * kFloat;
    const double gathers = nnz * kp * kFloat;
    const double rest = nnz * per_nonzero + m * kp * kFloat + (m + 1) * kOffset;
    const double seconds = gathers / gather_bandwidth(gpu, n * kp * kFloat) + rest / gpu.dram_bytes_per_second;
    return {n * k * kFloat + rest, gathers + rest, seconds + gpu.launch_seconds};
  }
  if (op == "bias_activation") return streamed(gpu, 1, 3 * m * k * kFloat + k * kFloat, 3 * m * kp * kFloat + k * kFloat);
  if (op == "column_sums") return streamed(gpu, 1, m * k * kFloat + k * kFloat, m * kp * kFloat + k * kFloat);
  if (op == "adam_update") {
    // I-AutoRec's parameters: read p, g, m, v; write p, m, v.
    const double parameters = 2 * n * k + n + k;
    return streamed(gpu, 1, 7 * parameters * kFloat, 7 * (2 * n * kp + n + kp) * kFloat);
  }
  if (op == "dense_gemm") {
    const double flops = 2 * m * n * k;
    const double bytes = (m * n + n * k + m * k) * kFloat;
    return {bytes, bytes, flops / gpu.sgemm_flops_per_second + gpu.launch_seconds};
  }
  throw std::invalid_argument("no cost model for op '" + op + "'");
}

}  // namespace bench
