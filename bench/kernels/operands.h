// The host operands of one (problem, k) run, shared by the CPU and CUDA runners: several copies of
// each dense input so that consecutive timed calls read different memory (caches do not flatter),
// and the settings every runner follows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dense_operands.h"
#include "ops.h"
#include "problems.h"

namespace bench {

struct RunSettings {
  int warmup = 2;
  int repeats = 7;
  int rotation = 3;                        // copies of each dense input, used in turn
  std::int64_t dense_gemm_max_bytes = 0;   // the densified X block of DenseGemm is capped at this size
  std::vector<std::string> op_filter;      // empty = every op
};

bool op_selected(const RunSettings& settings, const std::string& op);

struct HostOperands {
  std::string problem;
  const HostSparse* a = nullptr;     // (m, n) pattern with its ratings as values
  std::int64_t k = 0;
  std::vector<HostMatrix> by_col;    // rotation x (n, k): B of spmm, the rhs / W of the SDDMMs, V of the GEMM
  std::vector<HostMatrix> by_row;    // rotation x (m, k): B of spmm_transposed, the lhs / H of the SDDMMs
  std::vector<float> col_bias;       // (n) output bias of the fused SDDMM
  std::vector<float> row_bias;       // (k) hidden bias of bias_activation

  ProblemSize size() const { return {a->rows, a->cols, a->nnz(), k}; }
};

// Rows of the densified A (the dense formulation's X) that fit in max_bytes (at least 1, at most all).
std::int64_t dense_gemm_rows(const HostSparse& a, std::int64_t max_bytes);

HostOperands make_operands(const std::string& problem, const HostSparse& a, int k, int rotation);

// The dense rows [first, first + rows) of A ((rows, n), ld padded): the dense formulation's X.
HostMatrix densify_rows(const HostSparse& a, std::int64_t first, std::int64_t rows);

}  // namespace bench
