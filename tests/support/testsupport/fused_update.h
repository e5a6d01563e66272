// Test problems and the double-precision reference for the fused transposed product + optimizer step
// (spmm_transposed_update), shared by the CPU and the emulated CUDA tests. The problems are shaped like
// training: k = 500 over several column tiles, columns (W rows) longer than 512 nonzeros, empty columns
// (untouched rows, exact vs lazy), every lane-group width and both vector widths of the CUDA kernel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/weight_update.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"

namespace testsupport {

enum class FusedRule { Adam, AdamW, SgdNesterov };

struct FusedUpdateProblem {
  std::string name;  // what the row exercises
  HostCsr a;         // the batch (m x n): column j of A feeds row j of W
  std::int64_t k;
  std::int64_t ld_padding;  // W, its state and B get ld = k + ld_padding (1: rows not 16-byte aligned)
  FusedRule rule;
  bool lazy;
};

const std::vector<FusedUpdateProblem>& fused_update_problems();

// The operands of one problem: B (m x k), W (n x k) and its state (laid out like W; state1 is Adam's v).
struct FusedUpdateOperands {
  HostMatrix b, w, state0, state1;
};
FusedUpdateOperands fused_update_operands(const FusedUpdateProblem& problem);

// The problem's rule with its hyper-parameters (step 3 of Adam, L2 0.05, ...), state at the given pointers.
kernels::WeightUpdate fused_update_rule(const FusedUpdateProblem& problem, float* state0, float* state1);

constexpr float kFusedAlpha = 0.75f;

// W, state0, state1 after the step, packed row-major (n x k), from the textbook formulas in double.
struct FusedUpdateExpected {
  std::vector<double> w, state0, state1;
};
FusedUpdateExpected fused_update_reference(const FusedUpdateProblem& problem, const FusedUpdateOperands& in);

}  // namespace testsupport
