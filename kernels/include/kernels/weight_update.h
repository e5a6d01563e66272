// One optimizer step for a block of weights: the rule (kernels/optimizer_rules.h), its constants for
// this step and its state arrays. Applied by the flat update (apply_update) and by the kernel that
// finishes a gradient (the fused products, e.g. spmm_transposed_update): there the gradient of a weight
// is formed in registers and consumed at once, never making a round trip through memory.
//
// The state arrays have the layout of the weights they belong to: the state of weight (i, j) of a
// (rows x cols, leading dimension ld) block lives at state[i * ld + j].
#pragma once

#include <cstdint>

#include "kernels/bfloat16.h"
#include "kernels/optimizer_rules.h"

namespace kernels {

struct WeightUpdate {
#define KERNELS_RULE_TAG(R, field) R,
  enum class Rule { KERNELS_OPTIMIZER_RULES(KERNELS_RULE_TAG) };
#undef KERNELS_RULE_TAG
  // This step's constants of `rule` (the member named by the rule list).
  union Constants {
    Constants() : none(0) {}
    unsigned char none;
#define KERNELS_RULE_FIELD(R, field) rules::R::Constants field;
    KERNELS_OPTIMIZER_RULES(KERNELS_RULE_FIELD)
#undef KERNELS_RULE_FIELD
  };

  Rule rule = Rule::Adam;
  Constants constants;
  float* state0 = nullptr;
  float* state1 = nullptr;
  // Lazy mode (the semantics of LazyAdam / SparseAdam): a row whose gradient has no data term (an
  // empty sparse column) keeps its weights and state as they are, instead of taking the step of
  // its decay term alone. Off = exact: every row takes this step's update.
  bool skip_untouched_rows = false;
  // bf16 tables (kernels/bfloat16.h): where set, every weight this step writes is also written,
  // rounded to nearest even, to bf16_copy at its state index (the copy has the weights' layout), so the
  // gathering kernels' bf16 table never needs a separate conversion pass. Skipped rows keep theirs.
  bfloat16* bf16_copy = nullptr;

  // The step of rule R with constants c over state arrays state0/state1 (null where R has none).
  template <class R>
  static WeightUpdate of(const typename R::Constants& c, float* state0 = nullptr, float* state1 = nullptr) {
    WeightUpdate u;
    u.set_constants(c);
    u.state0 = state0;
    u.state1 = state1;
    return u;
  }
  static WeightUpdate adam_step(const AdamParams& p, float* m, float* v) {
    return of<rules::Adam>(detail::adam_step_constants(p), m, v);
  }
  static WeightUpdate sgd_step(const SgdParams& p, float* velocity) { return of<rules::Sgd>(p, velocity); }

 private:
#define KERNELS_RULE_SETTER(Rule_, field)            \
  void set_constants(const rules::Rule_::Constants& c) { \
    rule = Rule::Rule_;                               \
    constants.field = c;                              \
  }
  KERNELS_OPTIMIZER_RULES(KERNELS_RULE_SETTER)
#undef KERNELS_RULE_SETTER
};

namespace detail {

// The new value of weight w (at element i of the block) given its gradient g.
KERNELS_HOST_DEVICE inline float update_weight(const WeightUpdate& u, float w, float g, std::int64_t i) {
  switch (u.rule) {
#define KERNELS_RULE_CASE(R, field) \
  case WeightUpdate::Rule::R:       \
    return rules::R::apply(w, g, u.state0, u.state1, i, u.constants.field);
    KERNELS_OPTIMIZER_RULES(KERNELS_RULE_CASE)
#undef KERNELS_RULE_CASE
  }
  return w;
}

// The name of u's rule, for error messages.
inline const char* rule_name(const WeightUpdate& u) {
  switch (u.rule) {
#define KERNELS_RULE_NAME(R, field) \
  case WeightUpdate::Rule::R:       \
    return rules::R::kName;
    KERNELS_OPTIMIZER_RULES(KERNELS_RULE_NAME)
#undef KERNELS_RULE_NAME
  }
  return "?";
}

// u's rule's state buffers, in words.
inline const char* state_description(const WeightUpdate& u) {
  switch (u.rule) {
#define KERNELS_RULE_STATE_WORDS(R, field) \
  case WeightUpdate::Rule::R:              \
    return rules::R::kStates;
    KERNELS_OPTIMIZER_RULES(KERNELS_RULE_STATE_WORDS)
#undef KERNELS_RULE_STATE_WORDS
  }
  return "?";
}

// The state arrays u's rule cannot do without this step (0, 1 or 2).
inline int required_states(const WeightUpdate& u) {
  switch (u.rule) {
#define KERNELS_RULE_STATES(R, field) \
  case WeightUpdate::Rule::R:         \
    return rules::R::required_states(u.constants.field);
    KERNELS_OPTIMIZER_RULES(KERNELS_RULE_STATES)
#undef KERNELS_RULE_STATES
  }
  return 0;
}

}  // namespace detail
}  // namespace kernels
