// Counter-based random numbers: the function the engine's ops draw dropout masks and initial weights
// with, for code above the engine (a trainer's shuffles and per-batch seeds) to derive its streams the
// same way. A value is a pure function of (seed, counter): equal on every device and every run.
#pragma once

#include <cstdint>

namespace engine {

// A strong 64-bit mix of (seed, counter) (SplitMix64's finaliser).
std::uint64_t mix64(std::uint64_t seed, std::uint64_t counter);

}  // namespace engine
