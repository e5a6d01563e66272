// Counter-based random numbers: a value is a pure function of (seed, counter), so any thread can
// draw element i's number without state, the CPU and CUDA backends draw the same numbers, and a
// backward pass can replay a forward pass's dropout mask instead of storing it.
#pragma once

#include <cstdint>

#include "kernels/views.h"

namespace kernels {

// SplitMix64's finaliser applied to seed ^ counter-mixing: a strong 64-bit mix (passes BigCrush as
// a counter-mode generator), cheap on both CPU and GPU.
KERNELS_HOST_DEVICE inline std::uint64_t mix64(std::uint64_t seed, std::uint64_t counter) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (counter + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform float in [0, 1) from the top 24 bits.
KERNELS_HOST_DEVICE inline float uniform01(std::uint64_t seed, std::uint64_t counter) {
  return static_cast<float>(mix64(seed, counter) >> 40) * (1.0f / 16777216.0f);
}

}  // namespace kernels
