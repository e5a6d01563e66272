// The elementwise activations of the engine's layers and ops (the formulas: kernels/activation.h,
// which the engine maps these to one for one).
#pragma once

#include <cstdint>

namespace engine {

enum class Activation : std::uint8_t { Identity, Sigmoid, Tanh, Relu, Elu, Selu };

}  // namespace engine
