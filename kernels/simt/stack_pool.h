// Fiber stacks for the SIMT scheduler: fixed-size, each with a PROT_NONE guard page below it so that a
// kernel overflowing its stack faults at once instead of corrupting a neighbour, and pooled per OS
// thread because a launch creates one fiber per emulated thread (mmap per fiber would dominate).
// Each stack's top is shifted by a different multiple of 128 bytes ("colour"): page-aligned tops
// would put every fiber's hot frames in the same L1 cache sets, and the switches would thrash them.
#pragma once

#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace simt::detail {

// 64 KiB is plenty for plain kernels; AddressSanitizer's redzones and fake frames need more.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr std::size_t kFiberStackBytes = 512 * 1024;
#else
inline constexpr std::size_t kFiberStackBytes = 64 * 1024;
#endif

class StackPool {
 public:
  StackPool() = default;
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;
  ~StackPool();

  boost::context::stack_context take();
  void give_back(boost::context::stack_context stack) noexcept;

 private:
  std::vector<boost::context::stack_context> free_stacks_;  // each in a mapping: guard page + kFiberStackBytes
  unsigned mapped_ = 0;                                      // stacks created so far; picks the next colour
};

// The StackAllocator concept Boost.Context expects; copies share the pool.
class PooledStackAllocator {
 public:
  explicit PooledStackAllocator(StackPool& pool) : pool_(&pool) {}
  boost::context::stack_context allocate() { return pool_->take(); }
  void deallocate(boost::context::stack_context& stack) noexcept { pool_->give_back(stack); }

 private:
  StackPool* pool_;
};

}  // namespace simt::detail
