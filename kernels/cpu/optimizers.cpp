// Fused optimizer updates over one flat parameter buffer: one pass reads each weight, its gradient
// and its state once. The per-element rules live in kernels/optimizer_math.h, shared with the CUDA
// kernels; this file only splits the buffer into chunks and runs a plain loop over each.
#include "kernels/cpu.h"
#include "kernels/optimizer_math.h"
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

void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p) {
  kernels::detail::require_sgd_update(params, grads, velocity, n, p);
  const WeightUpdate u = WeightUpdate::sgd_step(p, velocity);
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
    detail::update_span(u, params + begin, grads + begin, begin, end - begin);
  });
}

// The same function as the fused products' epilogue (update_span), so both paths give the same bits.
void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p) {
  kernels::detail::require_adam_update(params, grads, m, v, n, p);
  const WeightUpdate u = WeightUpdate::adam_step(p, m, v);
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
    detail::update_span(u, params + begin, grads + begin, begin, end - begin);
  });
}

void apply_update(float* params, const float* grads, std::int64_t n, const WeightUpdate& u) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  kernels::detail::require_weight_update(u, MatrixView<float>{params, 1, n, n});
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
    detail::update_span(u, params + begin, grads + begin, begin, end - begin);
  });
}

void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes, std::int64_t n,
                  const RpropParams& p) {
  kernels::detail::require_rprop_update(params, grads, previous_grads, step_sizes, n, p);
  const RpropParams q = p;
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      params[i] = kernels::detail::rprop_element(params[i], grads[i], previous_grads[i], step_sizes[i], q);
    }
  });
}

namespace detail {

// One plain loop per rule (the rule is chosen once per span, not per element), so GCC vectorises each.
// Not multiversioned: the update is memory-bound, and the baseline build contracts no FMAs, so the CPU
// and the emulated CUDA kernels compute the same bits.
void update_span(const WeightUpdate& u, float* __restrict w, const float* __restrict g, std::int64_t state_offset,
                 std::int64_t n) {
  if (u.rule == WeightUpdate::Rule::Adam) {
    float* __restrict m = u.state0 + state_offset;
    float* __restrict v = u.state1 + state_offset;
    const kernels::detail::AdamStepConstants s = u.adam;
    for (std::int64_t e = 0; e < n; ++e) w[e] = kernels::detail::adam_element(w[e], g[e], m[e], v[e], s);
  } else {
    const SgdParams q = u.sgd;
    float* velocity = u.state0 != nullptr ? u.state0 + state_offset : nullptr;
    for (std::int64_t e = 0; e < n; ++e) {
      w[e] = kernels::detail::sgd_element(w[e], g[e], velocity != nullptr ? velocity + e : nullptr, q);
    }
  }
}

}  // namespace detail
}  // namespace kernels::cpu
