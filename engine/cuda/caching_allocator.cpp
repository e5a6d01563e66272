#include "caching_allocator.h"

#include <algorithm>
#include <bit>
#include <string>

#include "engine/error.h"
#include "kernels/cuda_platform.h"

namespace engine::detail {
namespace {

constexpr std::size_t kSmallGranule = 512;
constexpr std::size_t kLargeThreshold = std::size_t{1} << 20;  // 1 MiB
// A cached block may serve a request up to this factor smaller than itself: more reuse across
// varying batch shapes, bounded waste.
constexpr std::size_t kMaxReuseSlack = 2;

}  // namespace

std::size_t CachingAllocator::size_class(std::size_t bytes) {
  const std::size_t request = std::max<std::size_t>(bytes, 1);
  if (request < kLargeThreshold) return (request + kSmallGranule - 1) / kSmallGranule * kSmallGranule;
  // Four classes per power of two: the granule is a quarter of the largest power of two <= request.
  const std::size_t granule = std::bit_floor(request) / 4;
  return (request + granule - 1) / granule * granule;
}

CachingAllocator::~CachingAllocator() {
  const std::lock_guard lock(mutex_);
  for (const auto& [block_bytes, block] : free_blocks_) static_cast<void>(cudaFree(block));
  for (const auto& [block, block_bytes] : live_blocks_) static_cast<void>(cudaFree(block));
}

void* CachingAllocator::take_cached(std::size_t block_bytes) {
  const auto found = free_blocks_.lower_bound(block_bytes);
  if (found == free_blocks_.end() || found->first > block_bytes * kMaxReuseSlack) return nullptr;
  void* block = found->second;
  live_blocks_.emplace(block, found->first);
  free_blocks_.erase(found);
  ++stats_.cache_hits;
  return block;
}

void* CachingAllocator::allocate_from_driver(std::size_t block_bytes) {
  void* block = nullptr;
  cudaError_t status = cudaMalloc(&block, block_bytes);
  if (status == cudaErrorMemoryAllocation && !free_blocks_.empty()) {
    static_cast<void>(cudaGetLastError());  // clear it: the retry decides
    release_cached_locked();
    status = cudaMalloc(&block, block_bytes);
  }
  if (status == cudaErrorMemoryAllocation) {  // say how much, and where, not just "out of memory"
    static_cast<void>(cudaGetLastError());
    int device = -1;
    static_cast<void>(cudaGetDevice(&device));
    throw engine::Error("cuda:" + std::to_string(device) + ": out of memory allocating a block of " +
                        std::to_string(block_bytes) + " bytes (" + std::to_string(stats_.reserved_bytes) +
                        " bytes already held by this process's allocator)");
  }
  KERNELS_CUDA_CHECK(status);
  ++stats_.driver_allocations;
  stats_.reserved_bytes += block_bytes;
  stats_.peak_reserved_bytes = std::max(stats_.peak_reserved_bytes, stats_.reserved_bytes);
  try {
    live_blocks_.emplace(block, block_bytes);
  } catch (...) {
    static_cast<void>(cudaFree(block));
    stats_.reserved_bytes -= block_bytes;
    throw;
  }
  return block;
}

void* CachingAllocator::allocate(std::size_t bytes) {
  const std::size_t block_bytes = size_class(bytes);
  const std::lock_guard lock(mutex_);
  void* block = take_cached(block_bytes);
  if (block == nullptr) block = allocate_from_driver(block_bytes);
  stats_.live_bytes += bytes;
  stats_.peak_live_bytes = std::max(stats_.peak_live_bytes, stats_.live_bytes);
  return block;
}

void CachingAllocator::deallocate(void* pointer, std::size_t bytes) noexcept {
  if (pointer == nullptr) return;
  const std::lock_guard lock(mutex_);
  const auto found = live_blocks_.find(pointer);
  if (found == live_blocks_.end()) return;
  const std::size_t block_bytes = found->second;
  live_blocks_.erase(found);
  stats_.live_bytes -= std::min(bytes, stats_.live_bytes);
  try {
    free_blocks_.emplace(block_bytes, pointer);
  } catch (...) {  // no memory for the list node: give the block back instead of caching it
    static_cast<void>(cudaFree(pointer));
    stats_.reserved_bytes -= block_bytes;
    ++stats_.driver_frees;
  }
}

void CachingAllocator::release_cached_locked() {
  for (const auto& [block_bytes, block] : free_blocks_) {
    static_cast<void>(cudaFree(block));
    stats_.reserved_bytes -= block_bytes;
    ++stats_.driver_frees;
  }
  free_blocks_.clear();
}

void CachingAllocator::release_cached() {
  const std::lock_guard lock(mutex_);
  release_cached_locked();
}

CudaMemoryStats CachingAllocator::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

void CachingAllocator::reset_peak() {
  const std::lock_guard lock(mutex_);
  stats_.peak_live_bytes = stats_.live_bytes;
  stats_.peak_reserved_bytes = stats_.reserved_bytes;
}

}  // namespace engine::detail
