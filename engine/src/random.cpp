#include "engine/random.h"

#include "kernels/random.h"

namespace engine {

std::uint64_t mix64(std::uint64_t seed, std::uint64_t counter) { return kernels::mix64(seed, counter); }

}  // namespace engine
