// The elementwise activations of the engine's layers and ops. The list and the formulas live in the
// kernels (kernels/activation_list.h, kernels/activation.h); this enum mirrors that list one for one.
#pragma once

#include <array>
#include <cstdint>
#include <utility>

#include "kernels/activation_list.h"  // a macro only: no kernel type is exposed

namespace engine {

enum class Activation : std::uint8_t {
#define ENGINE_ACTIVATION_ENUMERATOR(name, text) name,
  KERNELS_ACTIVATIONS(ENGINE_ACTIVATION_ENUMERATOR)
#undef ENGINE_ACTIVATION_ENUMERATOR
};

// Every activation with its name ("sigmoid", ...), in the list's order: for parsing, printing and
// for loops over all activations.
inline constexpr auto kActivationNames = std::to_array<std::pair<const char*, Activation>>({
#define ENGINE_ACTIVATION_NAME(name, text) {text, Activation::name},
    KERNELS_ACTIVATIONS(ENGINE_ACTIVATION_NAME)
#undef ENGINE_ACTIVATION_NAME
});

}  // namespace engine
