// engine::FusedUpdate <-> kernels::WeightUpdate (private to engine/src): the public type holds the
// kernel struct's bytes, so the engine's headers name no kernel type and the copy costs a memcpy.
#pragma once

#include <cstring>
#include <type_traits>

#include "engine/fused_update.h"
#include "kernels/weight_update.h"

namespace engine {

struct FusedUpdateAccess {
  static_assert(std::is_trivially_copyable_v<kernels::WeightUpdate>, "FusedUpdate copies WeightUpdate's bytes");
  static_assert(sizeof(kernels::WeightUpdate) <= sizeof(FusedUpdate::bytes_),
                "a rule's constants outgrew engine::FusedUpdate: enlarge its storage");
  static FusedUpdate wrap(const kernels::WeightUpdate& update) {
    FusedUpdate fused;
    std::memcpy(fused.bytes_.data(), &update, sizeof(update));
    return fused;
  }
  static kernels::WeightUpdate unwrap(const FusedUpdate& fused) {
    kernels::WeightUpdate update;
    std::memcpy(&update, fused.bytes_.data(), sizeof(update));
    return update;
  }
};

}  // namespace engine
