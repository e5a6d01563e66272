// Fused optimizer updates over one flat parameter buffer: one pass reads each weight, its gradient
// and its state once. The formulas are those of kernels/optimizer_params.h, restated per function.
#include <algorithm>
#include <cmath>

#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"

namespace kernels::cpu {
namespace {

// Weights per task: large enough to amortise the scheduling, small enough to spread over threads.
// Each task runs a plain loop over its chunk: GCC vectorises that, not "omp parallel for simd" here.
// (Adam's sqrt keeps its loop scalar unless -fno-math-errno; RProp's compares unless
// -fno-trapping-math. Both updates are memory-bound, so this costs little.)
constexpr std::int64_t kChunk = 1 << 15;

// Both comparisons always evaluated: no nested branch in the callers' loops.
inline float sign(float x) { return static_cast<float>(static_cast<int>(x > 0.0f) - static_cast<int>(x < 0.0f)); }

}  // namespace

// SGD with (optionally Nesterov) momentum and coupled L2 weight decay, for each weight w:
//   g <- g + weight_decay * w
//   v <- momentum * v + g
//   w <- w - lr * (nesterov ? g + momentum * v : v)
// velocity may be null when momentum == 0 (then v = g and the update is plain SGD).
void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  KERNELS_REQUIRE(velocity != nullptr || n == 0 || p.momentum == 0.0f,
                  "momentum " << p.momentum << " needs a velocity buffer");
  KERNELS_REQUIRE(p.momentum >= 0.0f, "momentum " << p.momentum << " must be >= 0");
  detail::parallel_chunks(n, kChunk, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const float g = grads[i] + p.weight_decay * params[i];
      const float v = velocity != nullptr ? p.momentum * velocity[i] + g : g;
      if (velocity != nullptr) velocity[i] = v;
      params[i] -= p.learning_rate * (p.nesterov ? g + p.momentum * v : v);
    }
  });
}

// Adam with bias correction (step t >= 1), for each weight w:
//   decoupled (AdamW):  w <- w - lr * weight_decay * w          (before the Adam step, g unchanged)
//   coupled:            g <- g + weight_decay * w
//   m <- beta1 * m + (1 - beta1) * g
//   v <- beta2 * v + (1 - beta2) * g^2
//   w <- w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  detail::require_array(m, n, "m");
  detail::require_array(v, n, "v");
  KERNELS_REQUIRE(p.step >= 1, "Adam step " << p.step << " must count from 1");
  KERNELS_REQUIRE(p.beta1 >= 0.0f && p.beta1 < 1.0f && p.beta2 >= 0.0f && p.beta2 < 1.0f,
                  "Adam betas " << p.beta1 << ", " << p.beta2 << " must lie in [0, 1)");
  // The bias corrections are computed once, in double (beta^t underflows gracefully).
  const auto t = static_cast<double>(p.step);
  const auto m_correction = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(p.beta1), t)));
  const auto v_correction = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(p.beta2), t)));
  const float coupled_decay = p.decoupled_weight_decay ? 0.0f : p.weight_decay;
  const float decoupled_shrink = p.decoupled_weight_decay ? 1.0f - p.learning_rate * p.weight_decay : 1.0f;
  detail::parallel_chunks(n, kChunk, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const float w = params[i] * decoupled_shrink;
      const float g = grads[i] + coupled_decay * params[i];
      const float m_i = p.beta1 * m[i] + (1.0f - p.beta1) * g;
      const float v_i = p.beta2 * v[i] + (1.0f - p.beta2) * g * g;
      m[i] = m_i;
      v[i] = v_i;
      params[i] = w - p.learning_rate * (m_i * m_correction) / (std::sqrt(v_i * v_correction) + p.epsilon);
    }
  });
}

// iRprop- (Igel & Huesken 2000), for each weight w with gradient g, previous gradient g_prev and
// step size s:
//   g * g_prev > 0:  s <- min(s * eta_plus, step_max);  w <- w - sign(g) * s;  g_prev <- g
//   g * g_prev < 0:  s <- max(s * eta_minus, step_min); w unchanged;            g_prev <- 0
//   otherwise:       s unchanged;                       w <- w - sign(g) * s;  g_prev <- g
// The zeroed g_prev makes the step after a sign flip take the "otherwise" branch.
void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes, std::int64_t n,
                  const RpropParams& p) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  detail::require_array(previous_grads, n, "previous_grads");
  detail::require_array(step_sizes, n, "step_sizes");
  KERNELS_REQUIRE(p.eta_minus > 0.0f && p.eta_minus < 1.0f && p.eta_plus > 1.0f,
                  "RProp needs 0 < eta_minus < 1 < eta_plus, got " << p.eta_minus << ", " << p.eta_plus);
  KERNELS_REQUIRE(p.step_min > 0.0f && p.step_min <= p.step_max,
                  "RProp needs 0 < step_min <= step_max, got " << p.step_min << ", " << p.step_max);
  // Copies: the stores through params could otherwise alias the fields of p, forcing reloads.
  const RpropParams q = p;
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      const float g = grads[i];
      const float agreement = g * previous_grads[i];
      float step = step_sizes[i];
      const bool flipped = agreement < 0.0f;
      // Selects, not branches: with -fno-trapping-math GCC vectorises this loop (by default the
      // possibly-trapping float compares keep it scalar; it is memory-bound either way).
      const float grown = std::min(step * q.eta_plus, q.step_max);
      const float shrunk = std::max(step * q.eta_minus, q.step_min);
      step = agreement > 0.0f ? grown : (flipped ? shrunk : step);
      step_sizes[i] = step;
      params[i] -= flipped ? 0.0f : sign(g) * step;
      previous_grads[i] = flipped ? 0.0f : g;
    }
  });
}

}  // namespace kernels::cpu
