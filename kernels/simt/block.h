// One emulated thread block: its threads as Boost.Context fibers, the block barrier, the warps'
// collectives, and the round-robin scheduler that resumes fibers until all have exited (or a deadlock
// is detected). Internal to the emulator; kernels see only sync.h and thread_context.h.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <exception>
#include <random>
#include <source_location>
#include <string>
#include <vector>

#include <boost/context/fiber.hpp>

#include "fiber_switch.h"
#include "simt/launch.h"
#include "stack_pool.h"
#include "simt/sync.h"
#include "simt/thread_context.h"

namespace simt::detail {

enum class WaitState { not_started, runnable, at_block_barrier, at_warp_collective, exited };

// One collective in flight in one warp, keyed by its mask. Results are double-buffered by generation
// parity: the lane that completes generation g may run on and deposit for g+1 while the others still
// read g's values; g+2 cannot complete before every lane has arrived at g+1, i.e. has read g.
struct WarpCollective {
  unsigned mask = 0;
  WarpOp op = WarpOp::sync;
  const char* name = "";
  unsigned arrived = 0;
  std::uint64_t generation = 0;
  std::array<std::array<std::uint64_t, 32>, 2> values{};
  std::array<unsigned, 2> participants{};
};

struct Warp {
  unsigned existing = 0;  // lanes inside the block (a partial last warp has fewer than 32)
  unsigned exited = 0;
  std::deque<WarpCollective> collectives;  // a deque: waiting lanes hold pointers into it
};

struct BlockBarrier {
  int arrived = 0;
  int passed = 0;  // arrivals with a non-zero predicate
  std::uint64_t generation = 0;
  std::array<int, 2> results{};  // double-buffered like WarpCollective::values
  const char* name = "";
  std::source_location site;
};

struct EmulatedThread {
  ThreadInfo info;
  unsigned warp = 0;
  unsigned lane = 0;
  WaitState state = WaitState::not_started;
  std::uint64_t waited_generation = 0;
  WarpCollective* waited_collective = nullptr;
  boost::context::fiber fiber;      // held by the scheduler while the thread is suspended
  boost::context::fiber scheduler;  // held by the thread while it runs
  void* fake_stack = nullptr;       // AddressSanitizer bookkeeping for this fiber
  StackBounds stack;
};

class Block {
 public:
  Block(dim3 grid, dim3 block, void* dynamic_shared, Schedule schedule, void (*run_thread)(void*), void* closure);
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  // Runs all threads of block `block_idx`; throws DeadlockError or the first exception a thread threw.
  void run(uint3 block_idx);

  // Called on the running fiber by the built-ins (see barriers.cpp).
  int arrive_at_block_barrier(EmulatedThread& thread, int predicate, const char* name, std::source_location site);
  WarpExchange arrive_at_warp_collective(EmulatedThread& thread, WarpOp op, const char* name, unsigned mask,
                                         std::uint64_t value);
  unsigned live_lanes(const EmulatedThread& thread) const;

 private:
  void reset(uint3 block_idx);
  bool is_runnable(const EmulatedThread& thread) const;
  const std::vector<unsigned>& next_order();
  void resume(EmulatedThread& thread);
  void start_fiber(EmulatedThread& thread);
  void suspend(EmulatedThread& thread);
  void on_thread_exit(EmulatedThread& thread);
  void complete_collective(WarpCollective& collective);
  void abort_all();
  std::string describe_deadlock() const;
  std::string describe_thread_wait(const EmulatedThread& thread) const;
  WarpCollective& collective_for(Warp& warp, WarpOp op, const char* name, unsigned mask, unsigned lane);

  BlockInfo info_;
  Schedule schedule_;
  std::mt19937_64 random_;
  void (*run_thread_)(void*);
  void* closure_;
  StackPool& stacks_;
  std::vector<EmulatedThread> threads_;  // by linear thread id
  std::vector<Warp> warps_;
  std::vector<unsigned> order_;
  BlockBarrier barrier_;
  int live_threads_ = 0;
  bool aborting_ = false;
  std::exception_ptr first_error_;
  StackBounds scheduler_stack_;
};

// Thrown inside fibers to unwind them when their block is abandoned; deliberately not a
// std::exception, so kernel code catching std::exception cannot swallow it.
struct FiberAbort {};

// The block and emulated thread running on this OS thread (null outside a kernel).
inline thread_local Block* running_block = nullptr;
inline thread_local EmulatedThread* running_thread = nullptr;

}  // namespace simt::detail
