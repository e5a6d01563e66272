// Adagrad (Duchi, Hazan & Singer 2011): hyper-parameters and the per-element rule, called by the CPU
// loops and the CUDA kernels alike. Added as a unit: this file, one line in kernels/optimizer_rules.h
// and engine/src/optimizers/adagrad.cpp (docs/embedding.md, "a new optimizer").
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels {

//   g <- grad + weight_decay * w          (coupled decay; the engine adds an L2 term here too)
//   s <- s + g^2
//   w <- w - lr * g / (sqrt(s) + epsilon)
struct AdagradParams {
  float learning_rate = 0.01f;
  float epsilon = 1e-10f;
  float weight_decay = 0.0f;
};

namespace rules {

// state0 = the running sum of squared gradients.
struct Adagrad {
  using Constants = AdagradParams;
  static constexpr const char* kName = "adagrad";
  static constexpr const char* kStates = "its sum-of-squares buffer";  // for error messages
  static constexpr int kStateBuffers = 1;
  static int required_states(const Constants&) { return 1; }
  KERNELS_HOST_DEVICE static float apply(float w, float grad, float* state0, float*, std::int64_t i,
                                         const Constants& c) {
    const float g = grad + c.weight_decay * w;
    const float s = state0[i] + g * g;
    state0[i] = s;
    return w - c.learning_rate * g / (sqrtf(s) + c.epsilon);
  }
};

}  // namespace rules
}  // namespace kernels
