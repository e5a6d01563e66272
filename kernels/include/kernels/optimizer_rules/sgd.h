// SGD with (optionally Nesterov) momentum and coupled weight decay: its hyper-parameters and its
// per-element rule, called by the CPU loops and the CUDA kernels alike (see kernels/optimizer_rules.h).
#pragma once

#include <cstdint>

#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels {

// v <- momentum * v + g ;  w <- w - lr * (nesterov ? g + momentum * v : v)
// weight_decay (coupled, "L2 through the gradient"): g <- g + weight_decay * w before the update.
struct SgdParams {
  float learning_rate = 0.01f;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
  bool nesterov = false;
};

namespace detail {

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

}  // namespace detail

namespace rules {

// state0 = velocity (may be null without momentum); no state1.
struct Sgd {
  using Constants = SgdParams;
  static constexpr const char* kName = "sgd";
  static constexpr const char* kStates = "a velocity buffer";  // for error messages
  static constexpr int kStateBuffers = 1;
  // The state buffers this step cannot do without (0: none, 1: state0, 2: both).
  static int required_states(const Constants& c) { return c.momentum == 0.0f ? 0 : 1; }
  KERNELS_HOST_DEVICE static float apply(float w, float g, float* state0, float*, std::int64_t i, const Constants& c) {
    return detail::sgd_element(w, g, state0 != nullptr ? state0 + i : nullptr, c);
  }
};

}  // namespace rules
}  // namespace kernels
