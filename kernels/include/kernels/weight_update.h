// An optimizer step applied by the kernel that finishes a gradient (the fused products, e.g.
// spmm_transposed_update): the gradient of a weight is formed in registers and consumed there, so it
// never makes a round trip through memory and no gradient buffer has to be zeroed or read back.
//
// The state arrays have the layout of the weights they belong to: the state of weight (i, j) of a
// (rows x cols, leading dimension ld) block lives at state[i * ld + j].
#pragma once

#include <cstdint>

#include "kernels/optimizer_math.h"
#include "kernels/optimizer_params.h"

namespace kernels {

struct WeightUpdate {
  enum class Rule { Sgd, Adam };
  Rule rule = Rule::Adam;
  SgdParams sgd{};                      // Rule::Sgd: velocity = state0 (null without momentum)
  detail::AdamStepConstants adam{};     // Rule::Adam: m = state0, v = state1 (adam_step_constants)
  float* state0 = nullptr;
  float* state1 = nullptr;
  // Lazy mode (the semantics of LazyAdam / SparseAdam): a row whose gradient has no data term (an
  // empty sparse column) keeps its weights and state as they are, instead of taking the step of
  // its decay term alone. Off = exact: every row takes this step's update.
  bool skip_untouched_rows = false;

  static WeightUpdate adam_step(const AdamParams& p, float* m, float* v) {
    WeightUpdate u;
    u.rule = Rule::Adam;
    u.adam = detail::adam_step_constants(p);
    u.state0 = m;
    u.state1 = v;
    return u;
  }
  static WeightUpdate sgd_step(const SgdParams& p, float* velocity) {
    WeightUpdate u;
    u.rule = Rule::Sgd;
    u.sgd = p;
    u.state0 = velocity;
    return u;
  }
};

namespace detail {

// The new value of weight w (at element i of the block) given its gradient g.
KERNELS_HOST_DEVICE inline float update_weight(const WeightUpdate& u, float w, float g, std::int64_t i) {
  if (u.rule == WeightUpdate::Rule::Adam) return adam_element(w, g, u.state0[i], u.state1[i], u.adam);
  return sgd_element(w, g, u.state0 != nullptr ? u.state0 + i : nullptr, u.sgd);
}

}  // namespace detail
}  // namespace kernels
