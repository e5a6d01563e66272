// Where an emulated CUDA thread finds its built-in variables. All fibers of a block run on one OS
// thread, so a thread_local cannot hold per-CUDA-thread values; instead the scheduler points
// `current_thread` at the running fiber's context before every switch, and threadIdx & co. are
// macros that read through it.
#pragma once

#include "simt/types.h"

namespace simt::detail {

struct BlockInfo {
  uint3 block_idx{};
  dim3 block_dim;
  dim3 grid_dim;
  void* dynamic_shared = nullptr;  // the launch's shared_bytes, 64-byte aligned
};

struct ThreadInfo {
  uint3 thread_idx{};
  unsigned linear_id = 0;  // x + y * blockDim.x + z * blockDim.x * blockDim.y
  const BlockInfo* block = nullptr;
};

// The emulated CUDA thread running on this OS thread; null outside a kernel.
inline thread_local const ThreadInfo* current_thread = nullptr;

[[noreturn]] void fail_outside_kernel(const char* what);

inline const ThreadInfo& current(const char* what) {
  if (current_thread == nullptr) fail_outside_kernel(what);
  return *current_thread;
}

}  // namespace simt::detail

namespace simt {
// The block's dynamic shared memory (KERNELS_DYNAMIC_SHARED uses it).
inline void* dynamic_shared_memory() { return detail::current("dynamic shared memory").block->dynamic_shared; }
}  // namespace simt

#define threadIdx (static_cast<const uint3&>(::simt::detail::current("threadIdx").thread_idx))
#define blockIdx (static_cast<const uint3&>(::simt::detail::current("blockIdx").block->block_idx))
#define blockDim (static_cast<const dim3&>(::simt::detail::current("blockDim").block->block_dim))
#define gridDim (static_cast<const dim3&>(::simt::detail::current("gridDim").block->grid_dim))
inline constexpr int warpSize = 32;
