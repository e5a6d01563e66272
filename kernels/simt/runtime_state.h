// What the launch code needs from the emulated runtime (runtime.cpp). Internal to the emulator.
#pragma once

#include <cstddef>

#include "simt/types.h"

namespace simt::detail {

inline constexpr std::size_t kDefaultDynamicSharedBytes = 48 * 1024;  // without cudaFuncSetAttribute
inline constexpr std::size_t kMaxOptInSharedBytes = 227 * 1024;       // an H100's opt-in maximum

// Stores `error` as this OS thread's last error (unless cudaSuccess) and returns it.
cudaError_t record_error(cudaError_t error);
bool is_live_stream(cudaStream_t stream);
std::size_t max_dynamic_shared_bytes(const void* kernel);

}  // namespace simt::detail
