// The per-block fiber scheduler: creates one fiber per emulated thread (lazily, on its first resume),
// resumes runnable fibers round-robin in the configured order until every thread has exited, and
// turns "nothing can run but threads remain" into a DeadlockError.
#include "block.h"

#include <algorithm>
#include <memory>
#include <numeric>
#include <utility>

#include <boost/context/preallocated.hpp>

namespace simt::detail {
namespace {

StackPool& this_thread_stack_pool() {
  thread_local StackPool pool;
  return pool;
}

}  // namespace

Block::Block(dim3 grid, dim3 block, void* dynamic_shared, Schedule schedule, void (*run_thread)(void*),
             void* closure)
    : schedule_(schedule),
      random_(schedule.seed),
      run_thread_(run_thread),
      closure_(closure),
      stacks_(this_thread_stack_pool()),
      threads_(std::size_t{block.x} * block.y * block.z),
      warps_((threads_.size() + 31) / 32),
      order_(threads_.size()) {
  info_.block_dim = block;
  info_.grid_dim = grid;
  info_.dynamic_shared = dynamic_shared;
  for (unsigned id = 0; id < threads_.size(); ++id) {
    EmulatedThread& thread = threads_[id];
    thread.info.thread_idx = uint3{id % block.x, id / block.x % block.y, id / (block.x * block.y)};
    thread.info.linear_id = id;
    thread.info.block = &info_;
    thread.warp = id / 32;
    thread.lane = id % 32;
    warps_[thread.warp].existing |= 1U << thread.lane;
  }
  std::iota(order_.begin(), order_.end(), 0U);
  if (schedule_.order == ScheduleOrder::reverse) std::reverse(order_.begin(), order_.end());
}

void Block::reset(uint3 block_idx) {
  info_.block_idx = block_idx;
  for (EmulatedThread& thread : threads_) thread.state = WaitState::not_started;
  for (Warp& warp : warps_) {
    warp.exited = 0;
    warp.collectives.clear();
  }
  barrier_ = BlockBarrier{};
  live_threads_ = static_cast<int>(threads_.size());
  aborting_ = false;
  first_error_ = nullptr;
}

void Block::run(uint3 block_idx) {
  reset(block_idx);
  while (live_threads_ > 0) {
    bool resumed_any = false;
    for (unsigned index : next_order()) {
      EmulatedThread& thread = threads_[index];
      if (!is_runnable(thread)) continue;
      resume(thread);
      resumed_any = true;
      if (aborting_) break;  // a thread threw: stop starting new ones
    }
    if (aborting_) {
      abort_all();
    } else if (!resumed_any) {
      std::string message = describe_deadlock();
      abort_all();
      throw DeadlockError(message);
    }
  }
  if (first_error_) std::rethrow_exception(first_error_);
}

bool Block::is_runnable(const EmulatedThread& thread) const {
  switch (thread.state) {
    case WaitState::not_started:
    case WaitState::runnable:
      return true;
    case WaitState::at_block_barrier:
      return barrier_.generation != thread.waited_generation;
    case WaitState::at_warp_collective:
      return thread.waited_collective->generation != thread.waited_generation;
    case WaitState::exited:
      return false;
  }
  return false;
}

const std::vector<unsigned>& Block::next_order() {
  if (schedule_.order == ScheduleOrder::random) std::shuffle(order_.begin(), order_.end(), random_);
  return order_;
}

void Block::resume(EmulatedThread& thread) {
  if (thread.state == WaitState::not_started) start_fiber(thread);
  thread.state = WaitState::runnable;
  running_block = this;
  running_thread = &thread;
  current_thread = &thread.info;
  void* scheduler_fake_stack = nullptr;
  begin_stack_switch(&scheduler_fake_stack, thread.stack);
  thread.fiber = std::move(thread.fiber).resume();
  end_stack_switch(scheduler_fake_stack, nullptr);
  current_thread = nullptr;
  running_thread = nullptr;
  running_block = nullptr;
}

void Block::start_fiber(EmulatedThread& thread) {
  boost::context::stack_context stack = stacks_.take();
  thread.stack = StackBounds{static_cast<char*>(stack.sp) - stack.size, stack.size};
  auto body = [this, &thread](boost::context::fiber&& scheduler) {
    end_stack_switch(nullptr, &scheduler_stack_);
    thread.scheduler = std::move(scheduler);
    try {
      run_thread_(closure_);
    } catch (const FiberAbort&) {
      // The block was abandoned (deadlock or another thread's exception); just end this thread.
    } catch (...) {
      if (!first_error_) first_error_ = std::current_exception();
      aborting_ = true;
    }
    on_thread_exit(thread);
    begin_stack_switch(nullptr, scheduler_stack_);  // nullptr: this fiber's stack is finished
    return std::move(thread.scheduler);
  };
  thread.fiber = boost::context::fiber(std::allocator_arg, boost::context::preallocated(stack.sp, stack.size, stack),
                                       PooledStackAllocator(stacks_), std::move(body));
}

void Block::suspend(EmulatedThread& thread) {
  begin_stack_switch(&thread.fake_stack, scheduler_stack_);
  thread.scheduler = std::move(thread.scheduler).resume();
  end_stack_switch(thread.fake_stack, &scheduler_stack_);
  if (aborting_) throw FiberAbort{};
}

void Block::on_thread_exit(EmulatedThread& thread) {
  thread.state = WaitState::exited;
  --live_threads_;
  // CUDA excuses exited lanes from warp collectives: a collective waiting only for this lane completes.
  Warp& warp = warps_[thread.warp];
  warp.exited |= 1U << thread.lane;
  for (WarpCollective& collective : warp.collectives) {
    const unsigned required = collective.mask & ~warp.exited;
    if (collective.arrived != 0 && (collective.arrived & required) == required) complete_collective(collective);
  }
}

void Block::abort_all() {
  aborting_ = true;
  // Each resumed thread throws FiberAbort from its suspension point and unwinds; loop in case kernel
  // code swallowed it with catch (...) and suspended again.
  while (live_threads_ > 0) {
    for (EmulatedThread& thread : threads_) {
      if (thread.state == WaitState::not_started) {
        thread.state = WaitState::exited;
        --live_threads_;
      } else if (thread.state != WaitState::exited) {
        resume(thread);
      }
    }
  }
}

}  // namespace simt::detail
