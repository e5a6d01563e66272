// The per-element update rules of the optimizers (kernels/optimizer_params.h), written once and called
// by both the CPU loops (kernels/cpu/optimizers.cpp) and the CUDA kernels (kernels/cuda/optimizers.cu),
// so that the two backends evaluate the same formula in the same order by construction. Each function
// updates one weight and its state; the callers own the loop, the parallelism and the memory.
// The functions are branch-free selects on plain floats so that GCC vectorises the CPU loops.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/optimizer_params.h"
#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels::detail {

// SGD with (optionally Nesterov) momentum and coupled L2 weight decay, for weight w with gradient grad:
//   g <- grad + weight_decay * w
//   v <- momentum * v + g                 (v = g when there is no velocity buffer: momentum == 0)
//   w <- w - lr * (nesterov ? g + momentum * v : v)
// velocity: this weight's velocity, or null. Returns the new weight.
KERNELS_HOST_DEVICE inline float sgd_element(float w, float grad, float* velocity, const SgdParams& p) {
  const float g = grad + p.weight_decay * w;
  const float v = velocity != nullptr ? p.momentum * *velocity + g : g;
  if (velocity != nullptr) *velocity = v;
  return w - p.learning_rate * (p.nesterov ? g + p.momentum * v : v);
}

// Adam's per-step constants, computed once per update on the host (in double: beta^t underflows
// gracefully) so that the per-element work is multiplications only.
struct AdamStepConstants {
  float learning_rate;
  float beta1;
  float beta2;
  float epsilon;
  float m_correction;      // 1 / (1 - beta1^t)
  float v_correction;      // 1 / (1 - beta2^t)
  float coupled_decay;     // weight_decay unless decoupled
  float decoupled_shrink;  // 1 - lr * weight_decay when decoupled, else 1
};

inline AdamStepConstants adam_step_constants(const AdamParams& p) {
  const auto t = static_cast<double>(p.step);
  return {p.learning_rate,
          p.beta1,
          p.beta2,
          p.epsilon,
          static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(p.beta1), t))),
          static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(p.beta2), t))),
          p.decoupled_weight_decay ? 0.0f : p.weight_decay,
          p.decoupled_weight_decay ? 1.0f - p.learning_rate * p.weight_decay : 1.0f};
}

// Adam with bias correction (step t >= 1), for weight w with gradient grad and moments m, v:
//   decoupled (AdamW):  w <- w - lr * weight_decay * w          (before the Adam step, g unchanged)
//   coupled:            g <- g + weight_decay * w
//   m <- beta1 * m + (1 - beta1) * g
//   v <- beta2 * v + (1 - beta2) * g^2
//   w <- w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
// Updates m and v; returns the new weight. (sqrtf: the one spelling that nvcc's device code and the
// host compiler both accept.)
KERNELS_HOST_DEVICE inline float adam_element(float w, float grad, float& m, float& v, const AdamStepConstants& s) {
  const float shrunk = w * s.decoupled_shrink;
  const float g = grad + s.coupled_decay * w;
  const float m_new = s.beta1 * m + (1.0f - s.beta1) * g;
  const float v_new = s.beta2 * v + (1.0f - s.beta2) * g * g;
  m = m_new;
  v = v_new;
  return shrunk - s.learning_rate * (m_new * s.m_correction) / (sqrtf(v_new * s.v_correction) + s.epsilon);
}

// -1, 0 or +1; both comparisons always evaluated, so no nested branch in the callers' loops.
KERNELS_HOST_DEVICE inline float sign_of(float x) {
  return static_cast<float>(static_cast<int>(x > 0.0f) - static_cast<int>(x < 0.0f));
}

// iRprop- (Igel & Huesken 2000), for weight w with gradient grad, previous gradient g_prev and step s:
//   grad * g_prev > 0:  s <- min(s * eta_plus, step_max);  w <- w - sign(grad) * s;  g_prev <- grad
//   grad * g_prev < 0:  s <- max(s * eta_minus, step_min); w unchanged;               g_prev <- 0
//   otherwise:          s unchanged;                       w <- w - sign(grad) * s;  g_prev <- grad
// The zeroed g_prev makes the step after a sign flip take the "otherwise" branch. Updates
// previous_grad and step_size; returns the new weight. min/max are written as std::min/std::max
// define them (b < a ? b : a), which nvcc's device code can call too.
KERNELS_HOST_DEVICE inline float rprop_element(float w, float grad, float& previous_grad, float& step_size,
                                               const RpropParams& p) {
  const float agreement = grad * previous_grad;
  const float step = step_size;
  const bool flipped = agreement < 0.0f;
  // Selects, not branches: with -fno-trapping-math GCC can vectorise the CPU loop.
  const float grown_raw = step * p.eta_plus;
  const float grown = p.step_max < grown_raw ? p.step_max : grown_raw;
  const float shrunk_raw = step * p.eta_minus;
  const float shrunk = shrunk_raw < p.step_min ? p.step_min : shrunk_raw;
  const float new_step = agreement > 0.0f ? grown : (flipped ? shrunk : step);
  step_size = new_step;
  previous_grad = flipped ? 0.0f : grad;
  return w - (flipped ? 0.0f : sign_of(grad) * new_step);
}

}  // namespace kernels::detail
