// Adam / AdamW: hyper-parameters, per-step constants and the per-element rule, called by the CPU loops
// and the CUDA kernels alike (see kernels/optimizer_rules.h).
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels {

// Adam (Kingma & Ba) with bias correction; step counts from 1.
// weight_decay is coupled L2 (added to the gradient) unless decoupled is set (AdamW, Loshchilov &
// Hutter): then w <- w - lr * weight_decay * w, applied before the Adam step.
struct AdamParams {
  float learning_rate = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled_weight_decay = false;
  std::int64_t step = 1;
};

namespace detail {

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

}  // namespace detail

namespace rules {

// state0 = first moment m, state1 = second moment v.
struct Adam {
  using Constants = detail::AdamStepConstants;
  static constexpr const char* kName = "adam";
  static constexpr const char* kStates = "both moment buffers (m, v)";  // for error messages
  static constexpr int kStateBuffers = 2;
  static int required_states(const Constants&) { return 2; }
  KERNELS_HOST_DEVICE static float apply(float w, float g, float* state0, float* state1, std::int64_t i,
                                         const Constants& c) {
    return detail::adam_element(w, g, state0[i], state1[i], c);
  }
};

}  // namespace rules
}  // namespace kernels
