// The message of a DeadlockError: which block, and what each group of its threads is doing, so the
// offending branch can be found from the report alone.
#include <map>
#include <sstream>

#include "block.h"

namespace simt::detail {
namespace {

std::string format_index(uint3 index) {
  std::ostringstream out;
  out << '(' << index.x << ',' << index.y << ',' << index.z << ')';
  return out.str();
}

}  // namespace

std::string Block::describe_thread_wait(const EmulatedThread& thread) const {
  std::ostringstream out;
  switch (thread.state) {
    case WaitState::exited:
      out << "exited";
      break;
    case WaitState::at_block_barrier:
      out << "wait at " << barrier_.name << " (" << barrier_.site.file_name() << ':' << barrier_.site.line() << ')';
      break;
    case WaitState::at_warp_collective:
      out << "wait at " << thread.waited_collective->name << " in warp " << thread.warp << " (mask 0x" << std::hex
          << thread.waited_collective->mask << ')';
      break;
    case WaitState::not_started:
    case WaitState::runnable:
      out << "are runnable";  // cannot happen in a deadlock; kept for completeness
      break;
  }
  return out.str();
}

std::string Block::describe_deadlock() const {
  struct Group {
    int count = 0;
    uint3 first{};
  };
  std::map<std::string, Group> groups;
  for (const EmulatedThread& thread : threads_) {
    Group& group = groups[describe_thread_wait(thread)];
    if (group.count++ == 0) group.first = thread.info.thread_idx;
  }
  const dim3& dim = info_.block_dim;
  std::ostringstream out;
  out << "SIMT deadlock in block " << format_index(info_.block_idx) << " of " << dim.x << 'x' << dim.y << 'x'
      << dim.z << " threads: no thread can proceed.";
  for (const auto& [what, group] : groups) {
    out << ' ' << group.count << " thread(s) (first " << format_index(group.first) << ") " << what << '.';
  }
  out << " Every thread of a block must reach each __syncthreads, and every non-exited lane named in a warp"
         " collective's mask must call it.";
  return out.str();
}

}  // namespace simt::detail
