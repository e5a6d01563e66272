// Elementwise activations and their derivatives, shared by the CPU and CUDA kernels so both backends
// compute bit-for-bit the same formula (up to the math library's rounding).
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/views.h"

namespace kernels {

enum class Activation : std::uint8_t { Identity, Sigmoid, Tanh, Relu, Elu, Selu };

// SELU constants (Klambauer et al. 2017).
inline constexpr float kSeluAlpha = 1.6732632423543772f;
inline constexpr float kSeluScale = 1.0507009873554805f;

KERNELS_HOST_DEVICE inline float activate(Activation act, float z) {
  switch (act) {
    case Activation::Identity: return z;
    case Activation::Sigmoid: return 1.0f / (1.0f + expf(-z));
    case Activation::Tanh: return tanhf(z);
    case Activation::Relu: return z > 0.0f ? z : 0.0f;
    case Activation::Elu: return z > 0.0f ? z : expm1f(z);
    case Activation::Selu: return kSeluScale * (z > 0.0f ? z : kSeluAlpha * expm1f(z));
  }
  return z;
}

// d activate(z) / dz, from the pre-activation z.
KERNELS_HOST_DEVICE inline float activate_derivative(Activation act, float z) {
  switch (act) {
    case Activation::Identity: return 1.0f;
    case Activation::Sigmoid: {
      const float s = 1.0f / (1.0f + expf(-z));
      return s * (1.0f - s);
    }
    case Activation::Tanh: {
      const float t = tanhf(z);
      return 1.0f - t * t;
    }
    case Activation::Relu: return z > 0.0f ? 1.0f : 0.0f;
    case Activation::Elu: return z > 0.0f ? 1.0f : expf(z);
    case Activation::Selu: return kSeluScale * (z > 0.0f ? 1.0f : kSeluAlpha * expf(z));
  }
  return 1.0f;
}

}  // namespace kernels
