#include "testsupport/fused_update.h"

#include <cmath>

#include "testsupport/reference.h"

namespace testsupport {
namespace {

constexpr float kLearningRate = 0.01f;
constexpr float kL2 = 0.05f;          // the loss's L2 term, riding on the coupled decay
constexpr float kDecoupled = 0.1f;    // AdamW's own decay
constexpr std::int64_t kAdamStep = 3; // bias corrections away from 1

// A batch of `rows` x `cols`: columns [0, long_columns) hold every row (long CSC columns), columns
// [long_columns, long_columns + empty_columns) are empty (untouched W rows), the rest have ~density.
HostCsr batch(std::int32_t rows, std::int32_t cols, std::int32_t long_columns, std::int32_t empty_columns,
              double density, std::uint64_t seed) {
  std::vector<Triplet> triplets;
  const std::vector<float> coins = random_vector(std::int64_t{rows} * cols, seed);
  const std::vector<float> values = random_vector(std::int64_t{rows} * cols, seed + 1);
  for (std::int32_t i = 0; i < rows; ++i) {
    for (std::int32_t j = 0; j < cols; ++j) {
      const std::int64_t at = std::int64_t{i} * cols + j;
      const bool present = j < long_columns || (j >= long_columns + empty_columns &&
                                                std::abs(coins[static_cast<std::size_t>(at)]) < density);
      if (present) triplets.push_back({i, j, values[static_cast<std::size_t>(at)]});
    }
  }
  return HostCsr::from_triplets(rows, cols, std::move(triplets));
}

std::vector<FusedUpdateProblem> make_problems() {
  using R = FusedRule;
  // Columns of 700 nonzeros pass the long-row threshold (16 chunks of 32 lanes) of every group width.
  const HostCsr training = batch(700, 160, 3, 10, 0.01, 1);
  const HostCsr small = batch(120, 90, 2, 5, 0.05, 2);
  return {
      // k = 500: 32-lane groups, float4 lanes, four column tiles, long columns, untouched rows.
      {"k = 500, long columns, Adam, exact", training, 500, 12, R::Adam, false},
      {"k = 500, long columns, Adam, lazy", training, 500, 12, R::Adam, true},
      {"k = 500, long columns, AdamW + L2", training, 500, 12, R::AdamW, false},
      {"k = 500, long columns, SGD Nesterov", training, 500, 12, R::SgdNesterov, false},
      {"k = 500, long columns, SGD Nesterov, lazy", training, 500, 12, R::SgdNesterov, true},
      // ld = k + 1: rows not 16-byte aligned, so one column per lane (V = 1) over 16 column tiles.
      {"k = 500, ld = 501 (V = 1)", training, 500, 1, R::Adam, false},
      // The narrower groups: G = 4, 8, 16 with float4 lanes, and with V = 1.
      {"k = 16 (G = 4, V = 4)", small, 16, 0, R::Adam, false},
      {"k = 32 (G = 8, V = 4), lazy", small, 32, 0, R::Adam, true},
      {"k = 64 (G = 16, V = 4)", small, 64, 0, R::SgdNesterov, false},
      {"k = 3 (G = 4, V = 1)", small, 3, 0, R::Adam, false},
      {"k = 7, ld = 8 (G = 8, V = 1)", small, 7, 1, R::AdamW, false},
      {"k = 13, ld = 14 (G = 16, V = 1)", small, 13, 1, R::SgdNesterov, false},
  };
}

std::vector<double> packed(const HostMatrix& m) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(m.rows * m.cols));
  for (std::int64_t i = 0; i < m.rows; ++i) {
    for (std::int64_t j = 0; j < m.cols; ++j) out.push_back(m(i, j));
  }
  return out;
}

}  // namespace

const std::vector<FusedUpdateProblem>& fused_update_problems() {
  static const std::vector<FusedUpdateProblem> problems = make_problems();
  return problems;
}

FusedUpdateOperands fused_update_operands(const FusedUpdateProblem& problem) {
  FusedUpdateOperands in;
  in.b = HostMatrix::random(problem.a.rows(), problem.k, 21, Fill::Uniform, problem.ld_padding);
  in.w = HostMatrix::random(problem.a.cols(), problem.k, 22, Fill::Uniform, problem.ld_padding);
  in.state0 = HostMatrix::random(problem.a.cols(), problem.k, 23, Fill::Uniform, problem.ld_padding);
  in.state1 = HostMatrix::random(problem.a.cols(), problem.k, 24, Fill::Uniform, problem.ld_padding);
  for (std::int64_t i = 0; i < in.state1.rows; ++i) {
    for (std::int64_t j = 0; j < in.state1.cols; ++j) in.state1(i, j) *= in.state1(i, j);  // Adam's v >= 0
  }
  return in;
}

kernels::WeightUpdate fused_update_rule(const FusedUpdateProblem& problem, float* state0, float* state1) {
  kernels::WeightUpdate update;
  if (problem.rule == FusedRule::SgdNesterov) {
    update = kernels::WeightUpdate::sgd_step({kLearningRate, 0.9f, kL2, true}, state0);
  } else {
    kernels::AdamParams p;
    p.learning_rate = kLearningRate;
    p.step = kAdamStep;
    p.decoupled_weight_decay = problem.rule == FusedRule::AdamW;
    p.weight_decay = problem.rule == FusedRule::AdamW ? kDecoupled : 0.0f;
    update = kernels::WeightUpdate::adam_step(p, state0, state1);
    update.constants.adam.coupled_decay += kL2;  // as engine::Optimizer adds its L2 term
  }
  update.skip_untouched_rows = problem.lazy;
  return update;
}

// Written from the papers' formulas, not from kernels/optimizer_rules/*.h, so a slip there shows here.
FusedUpdateExpected fused_update_reference(const FusedUpdateProblem& problem, const FusedUpdateOperands& in) {
  const HostCsr& a = problem.a;
  FusedUpdateExpected out{packed(in.w), packed(in.state0), packed(in.state1)};
  const double lr = kLearningRate;
  const double l2 = kL2;
  for (std::int32_t j = 0; j < a.cols(); ++j) {
    const kernels::offset_t first = a.csc_offsets[static_cast<std::size_t>(j)];
    const kernels::offset_t last = a.csc_offsets[static_cast<std::size_t>(j) + 1];
    if (first == last && problem.lazy) continue;
    for (std::int64_t c = 0; c < problem.k; ++c) {
      double g = 0.0;
      for (kernels::offset_t q = first; q < last; ++q) {
        const auto i = a.csc_row_indices[static_cast<std::size_t>(q)];
        g += static_cast<double>(a.values[static_cast<std::size_t>(a.csc_positions[static_cast<std::size_t>(q)])]) *
             in.b(i, c);
      }
      g *= kFusedAlpha;
      const auto at = static_cast<std::size_t>(j * problem.k + c);
      double& w = out.w[at];
      g += l2 * w;
      if (problem.rule == FusedRule::SgdNesterov) {
        double& velocity = out.state0[at];
        velocity = 0.9 * velocity + g;
        w -= lr * (g + 0.9 * velocity);
      } else {
        double& m = out.state0[at];
        double& v = out.state1[at];
        if (problem.rule == FusedRule::AdamW) w *= 1.0 - lr * static_cast<double>(kDecoupled);
        // The hyper-parameters as the kernels hold them (fp32), the arithmetic in double.
        const double beta1 = 0.9f;
        const double beta2 = 0.999f;
        m = beta1 * m + (1.0 - beta1) * g;
        v = beta2 * v + (1.0 - beta2) * g * g;
        const double m_hat = m / (1.0 - std::pow(beta1, kAdamStep));
        const double v_hat = v / (1.0 - std::pow(beta2, kAdamStep));
        w -= lr * m_hat / (std::sqrt(v_hat) + static_cast<double>(1e-8f));
      }
    }
  }
  return out;
}

}  // namespace testsupport
