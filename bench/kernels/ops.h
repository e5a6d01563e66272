// The ops bench_kernels measures, their names, and what each one must compute and move: the
// GFLOP/s and GB/s columns are derived from these counts, not from what a kernel happens to do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

enum class Op {
  Spmm,               // C (m, k) = A . B (n, k)                         forward X.V, backward E.W
  SpmmTransposed,     // C (n, k) = A^T . B (m, k)                       dW = E^T.H, dV = X^T.dZ
  Sddmm,              // out[p] = <A_i, B_j>                             the decoder at observed entries
  SddmmSquaredError,  // the fused decoder + bias + error + loss         AutoRec's output layer
  BiasActivation,     // Z (m, k) += b; H = sigmoid(Z)
  ColumnSums,         // out (k) = column sums of (m, k)                 bias gradients
  DenseGemm,          // X (m, n) densified . V (n, k): the dense formulation, for its cost
  AdamUpdate,         // one fused Adam step over I-AutoRec's parameters (2 n k + n + k)
};

const std::vector<Op>& all_ops();
std::string op_name(Op op);

struct ProblemSize {
  std::int64_t rows = 0, cols = 0, nnz = 0, k = 0;
};

struct OpCost {
  double flops = 0.0;  // 0 for memory-bound elementwise ops (no GFLOP/s reported)
  double bytes = 0.0;  // what must cross the memory bus at least once (gathered k-vectors counted per use)
};

OpCost op_cost(Op op, const ProblemSize& size);
// Parameters of the I-AutoRec model whose optimizer step AdamUpdate times.
std::int64_t autorec_parameter_count(const ProblemSize& size);

}  // namespace bench
