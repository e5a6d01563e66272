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
  using A = Activation;
  switch (g) {
    case A::Identity: return body(std::integral_constant<A, A::Identity>{});
    case A::Sigmoid: return body(std::integral_constant<A, A::Sigmoid>{});
    case A::Tanh: return body(std::integral_constant<A, A::Tanh>{});
    case A::Relu: return body(std::integral_constant<A, A::Relu>{});
    case A::Elu: return body(std::integral_constant<A, A::Elu>{});
    case A::Selu: return body(std::integral_constant<A, A::Selu>{});
  }
  KERNELS_REQUIRE(false, "unknown activation " << static_cast<int>(g));
}

}  // namespace kernels::detail
