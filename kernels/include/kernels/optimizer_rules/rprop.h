// iRprop-: hyper-parameters and the per-element rule, called by the CPU loops and the CUDA kernels
// alike (see kernels/optimizer_rules.h). Full-batch only: the engine never fuses it into a product.
#pragma once

#include <cstdint>

#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels {

// iRprop- (Igel & Huesken 2000): per-weight step sizes grow by eta_plus while the gradient keeps its
// sign and shrink by eta_minus when it flips; on a flip the stored gradient is zeroed so the next
// step does not move that weight. Only the sign of the gradient is used: full-batch training.
struct RpropParams {
  float eta_plus = 1.2f;
  float eta_minus = 0.5f;
  float step_min = 1e-6f;
  float step_max = 50.0f;
};

namespace detail {

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

}  // namespace detail

namespace rules {

// state0 = previous gradient, state1 = per-weight step size.
struct Rprop {
  using Constants = RpropParams;
  static constexpr const char* kName = "rprop";
  static constexpr const char* kStates = "its previous-gradient and step-size buffers";  // for error messages
  static constexpr int kStateBuffers = 2;
  static int required_states(const Constants&) { return 2; }
  KERNELS_HOST_DEVICE static float apply(float w, float g, float* state0, float* state1, std::int64_t i,
                                         const Constants& c) {
    return detail::rprop_element(w, g, state0[i], state1[i], c);
  }
};

}  // namespace rules
}  // namespace kernels
