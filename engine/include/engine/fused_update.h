// One optimizer step for one parameter, as the optimizer hands it to the kernel that finishes that
// parameter's gradient (Optimizer::update_for -> ops::spmm_transposed_update). Opaque to callers: it
// carries the rule, this step's constants and pointers to the parameter's state, in the kernels' own
// layout (engine/src converts it), so the engine's public headers name no kernel type.
#pragma once

#include <array>
#include <cstddef>

namespace engine {

class FusedUpdate {
 public:
  FusedUpdate() = default;

 private:
  friend struct FusedUpdateAccess;  // engine/src: converts to and from the kernels' WeightUpdate
  alignas(8) std::array<std::byte, 96> bytes_{};
};

}  // namespace engine
