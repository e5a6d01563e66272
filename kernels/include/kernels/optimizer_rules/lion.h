// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): hyper-parameters and the
// per-element rule, called by the CPU loops and the CUDA kernels alike. Added as a unit: this file, one
// line in kernels/optimizer_rules.h and engine/src/optimizers/lion.cpp (docs/embedding.md).
#pragma once

#include <cstdint>

#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels {

//   g <- grad + coupled_decay * w                      (the engine's L2 term, set_l2)
//   w <- w - lr * (sign(beta1 * m + (1 - beta1) * g) + weight_decay * w)   (decoupled decay)
//   m <- beta2 * m + (1 - beta2) * g
struct LionParams {
  float learning_rate = 1e-4f;
  float beta1 = 0.9f;
  float beta2 = 0.99f;
  float weight_decay = 0.0f;
  float coupled_decay = 0.0f;
};

namespace rules {

// state0 = the momentum m.
struct Lion {
  using Constants = LionParams;
  static constexpr const char* kName = "lion";
  static constexpr const char* kStates = "its momentum buffer";  // for error messages
  static constexpr int kStateBuffers = 1;
  static int required_states(const Constants&) { return 1; }
  KERNELS_HOST_DEVICE static float apply(float w, float grad, float* state0, float*, std::int64_t i,
                                         const Constants& c) {
    const float g = grad + c.coupled_decay * w;
    const float m = state0[i];
    const float blend = c.beta1 * m + (1.0f - c.beta1) * g;
    const float sign = static_cast<float>(static_cast<int>(blend > 0.0f) - static_cast<int>(blend < 0.0f));
    state0[i] = c.beta2 * m + (1.0f - c.beta2) * g;
    return w - c.learning_rate * (sign + c.weight_decay * w);
  }
};

}  // namespace rules
}  // namespace kernels
