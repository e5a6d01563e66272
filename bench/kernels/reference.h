// Reference checks run before any timing: a double-precision recomputation of a sample of output
// rows (all of them for cheap ops), compared with a bound of absolute + relative * sum|terms|, so the
// bound follows the magnitude a float sum can actually lose. A result is the worst error measured
// in units of that bound: <= 1 passes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dense_operands.h"
#include "kernels/optimizer_rules.h"
#include "synthetic_sparse.h"

namespace bench {

struct Tolerance {
  double absolute = 1e-5;
  double relative = 1e-4;  // float sums; TF32 products need ~4e-3
};

struct CheckResult {
  double worst = 0.0;  // max |got - reference| / bound over the checked entries
  std::int64_t checked = 0;
  bool passed() const { return worst <= 1.0; }
};

using ConstMatrix = kernels::MatrixView<const float>;

// Up to `count` rows of [0, rows), spread evenly, plus the longest row of `offsets` when given.
std::vector<std::int64_t> sample_rows(std::int64_t rows, int count, const std::vector<kernels::offset_t>* offsets);

// C (rows [first_row, first_row + c.rows) of A) == A . B   (also checks a row block of the dense GEMM).
CheckResult check_spmm(const HostSparse& a, ConstMatrix b, ConstMatrix c, Tolerance tol, std::int64_t first_row = 0);
CheckResult check_spmm_transposed(const HostSparse& a, ConstMatrix b, ConstMatrix c, Tolerance tol);
CheckResult check_sddmm(const HostSparse& a, ConstMatrix lhs, ConstMatrix rhs, const float* out, Tolerance tol);
// Identity output activation: errors[p] = <H_i, W_j> + bias_j - r_p; loss == sum of errors^2.
CheckResult check_sddmm_squared_error(const HostSparse& a, ConstMatrix h, ConstMatrix w, const float* bias,
                                      const float* errors, double loss, Tolerance tol);
// H == sigmoid(Z_before + bias) on sampled rows.
CheckResult check_bias_sigmoid(ConstMatrix z_before, const float* bias, ConstMatrix h, Tolerance tol);
CheckResult check_column_sums(ConstMatrix a, const float* sums, Tolerance tol);

struct AdamState {
  std::vector<float> params, grads, m, v;
};
CheckResult check_adam(const AdamState& before, const AdamState& after, const kernels::AdamParams& p, Tolerance tol);

}  // namespace bench
