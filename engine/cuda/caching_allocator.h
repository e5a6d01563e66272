// CachingAllocator: device memory for one CUDA backend. Freed blocks go to size-class free lists
// instead of back to the driver, so once a training loop has run one iteration every later
// allocation is served from the cache and no cudaMalloc (which synchronises the device) happens.
//
// Blocks are reused without events because every user of the memory (kernels, copies, cuSPARSE,
// cuBLAS) runs on the backend's single stream: a block freed by the host and handed out again is
// only touched by work enqueued after everything that used it before.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>

#include "engine/cuda.h"

namespace engine::detail {

class CachingAllocator {
 public:
  CachingAllocator() = default;
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;
  ~CachingAllocator();  // returns everything to the driver, ignoring errors (the process may be exiting)

  // A block of at least `bytes` (256-byte aligned, like cudaMalloc). On cudaErrorMemoryAllocation
  // it releases the cache and retries once before throwing kernels::CudaError.
  void* allocate(std::size_t bytes);
  // `bytes` must be what allocate() was asked for. A pointer it did not hand out is ignored.
  void deallocate(void* pointer, std::size_t bytes) noexcept;
  // cudaFree on every cached free block.
  void release_cached();

  CudaMemoryStats stats() const;
  void reset_peak();  // both peaks back to the current values

  // The block size a request is rounded up to: multiples of 512 B below 1 MiB, then four classes
  // per power of two (at most 25% slack), so that varying batch sizes share few classes.
  static std::size_t size_class(std::size_t bytes);

 private:
  void* take_cached(std::size_t block_bytes);  // with mutex_ held; nullptr when nothing fits
  void* allocate_from_driver(std::size_t block_bytes);
  void release_cached_locked();

  mutable std::mutex mutex_;
  std::multimap<std::size_t, void*> free_blocks_;         // block size -> cached block
  std::unordered_map<void*, std::size_t> live_blocks_;  // block -> its block size
  CudaMemoryStats stats_;
};

}  // namespace engine::detail
