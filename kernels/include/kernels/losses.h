// The per-element terms of the dense losses and their gradients, shared by the CPU kernels
// (kernels/cpu/losses.cpp) and the CUDA kernels (kernels/cuda/losses.cu) so that both evaluate the same
// float formula; each kernel sums the terms in double.
#pragma once

#include <cmath>

#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels::detail {

// Binary cross-entropy of a logit z against a target t in [0, 1], in the form that neither overflows
// nor loses the small terms: max(z, 0) - z t + log(1 + exp(-|z|)).
KERNELS_HOST_DEVICE inline float bce_with_logits_term(float z, float t) {
  const float positive = z > 0.0f ? z : 0.0f;
  return positive - z * t + log1pf(expf(-fabsf(z)));
}

// Its derivative in z: sigmoid(z) - t (sigmoid written so that exp never overflows).
KERNELS_HOST_DEVICE inline float bce_with_logits_gradient(float z, float t) {
  const float e = expf(-fabsf(z));
  const float sigmoid = z >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
  return sigmoid - t;
}

}  // namespace kernels::detail
