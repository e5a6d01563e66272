// Fused optimizer updates over one flat parameter buffer: one pass reads each weight, its gradient
// and its state once. The per-element rules live in kernels/optimizer_rules/, shared with the CUDA
// kernels; this file only splits the buffer into chunks and runs a plain loop over each.
#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"
#include "update_span.h"

namespace kernels::cpu {
namespace {

// Weights per task: large enough to amortise the scheduling, small enough to spread over threads.
// Each task runs a plain loop over its chunk: GCC vectorises that, not "omp parallel for simd" here.
// (Adam's sqrt needs -fno-math-errno, RProp's compares -fno-trapping-math: see kernels/CMakeLists.txt.
// Both updates are memory-bound, so a scalar loop would cost little.)
constexpr std::int64_t kChunk = 1 << 15;

}  // namespace

// sgd_update, adam_update and rprop_update are apply_update with the rule's constants: one loop per rule
// (update_span), the same one the fused products run on each finished gradient row.
void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p) {
  kernels::detail::require_sgd_update(params, grads, velocity, n, p);
  apply_update(params, grads, n, WeightUpdate::sgd_step(p, velocity));
}

void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p) {
  kernels::detail::require_adam_update(params, grads, m, v, n, p);
  apply_update(params, grads, n, WeightUpdate::adam_step(p, m, v));
}

void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes, std::int64_t n,
                  const RpropParams& p) {
  kernels::detail::require_rprop_update(params, grads, previous_grads, step_sizes, n, p);
  apply_update(params, grads, n, WeightUpdate::of<rules::Rprop>(p, previous_grads, step_sizes));
}

void apply_update(float* params, const float* grads, std::int64_t n, const WeightUpdate& u) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  kernels::detail::require_weight_update(u, MatrixView<float>{params, 1, n, n});
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
    detail::update_span_with_copy(u, params + begin, grads + begin, begin, end - begin);
  });
}

// Rounding is elementwise and cheap (a few integer operations per element): plain chunks, vectorised.
void round_to_bfloat16(const float* x, bfloat16* out, std::int64_t n) {
  detail::require_array(x, n, "x");
  detail::require_array(out, n, "out");
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
    detail::round_span(x + begin, out + begin, end - begin);
  });
}

namespace detail {

void round_span(const float* __restrict x, bfloat16* __restrict out, std::int64_t n) {
  for (std::int64_t e = 0; e < n; ++e) out[e] = to_bfloat16(x[e]);
}

namespace {

// One plain loop for rule R (chosen once per span, not per element), so GCC vectorises it. Not
// multiversioned: the update is memory-bound, and the baseline build contracts no FMAs, so the CPU and
// the emulated CUDA kernels compute the same bits.
// With a bf16 copy the rounding is fused into the same loop (one pass, vectorised alike): as a second
// pass over the span it cost 7 % of a bf16 epoch.
template <class R>
void rule_span(const typename R::Constants& c, float* __restrict w, const float* __restrict g, float* state0,
               float* state1, bfloat16* __restrict copy, std::int64_t n) {
  const typename R::Constants k = c;
  if (copy == nullptr) {
    for (std::int64_t e = 0; e < n; ++e) w[e] = R::apply(w[e], g[e], state0, state1, e, k);
    return;
  }
  for (std::int64_t e = 0; e < n; ++e) {
    const float x = R::apply(w[e], g[e], state0, state1, e, k);
    w[e] = x;
    copy[e] = to_bfloat16(x);
  }
}

// The state arrays from element `offset` on (null stays null).
float* shifted(float* state, std::int64_t offset) { return state != nullptr ? state + offset : nullptr; }

// The span's update, and (when copy is not null) its new weights rounded into copy[0, n).
void update_span_into(const WeightUpdate& u, float* __restrict w, const float* __restrict g,
                      std::int64_t state_offset, bfloat16* copy, std::int64_t n) {
  float* state0 = shifted(u.state0, state_offset);
  float* state1 = shifted(u.state1, state_offset);
  switch (u.rule) {
#define KERNELS_RULE_SPAN(R, field)                                          \
  case WeightUpdate::Rule::R:                                              \
    rule_span<rules::R>(u.constants.field, w, g, state0, state1, copy, n); \
    return;
    KERNELS_OPTIMIZER_RULES(KERNELS_RULE_SPAN)
#undef KERNELS_RULE_SPAN
  }
}

}  // namespace

void update_span(const WeightUpdate& u, float* w, const float* g, std::int64_t state_offset, std::int64_t n) {
  update_span_into(u, w, g, state_offset, nullptr, n);
}

void update_span_with_copy(const WeightUpdate& u, float* w, const float* g, std::int64_t state_offset, std::int64_t n) {
  update_span_into(u, w, g, state_offset, u.bf16_copy != nullptr ? u.bf16_copy + state_offset : nullptr, n);
}

}  // namespace detail
}  // namespace kernels::cpu
