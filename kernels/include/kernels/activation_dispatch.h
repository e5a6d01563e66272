// Turns a run-time Activation into a compile-time one for the CPU and CUDA kernels alike: the kernel
// body is instantiated once per activation, so the switch inside activate() folds away and the inner
// loop (or the CUDA kernel) is branch-free. Host-only code.
#pragma once

#include <type_traits>

#include "kernels/activation.h"
#include "kernels/check.h"

namespace kernels::detail {

// Calls body(std::integral_constant<Activation, g>{}); an out-of-range g throws kernels::Error.
template <class Body>
void with_activation(Activation g, Body&& body) {
  switch (g) {
#define KERNELS_ACTIVATION_CASE(name, text) \
  case Activation::name: return body(std::integral_constant<Activation, Activation::name>{});
    KERNELS_ACTIVATIONS(KERNELS_ACTIVATION_CASE)
#undef KERNELS_ACTIVATION_CASE
  }
  KERNELS_REQUIRE(false, "unknown activation ", static_cast<int>(g));
}

}  // namespace kernels::detail
