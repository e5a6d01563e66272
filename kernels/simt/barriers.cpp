// __syncthreads and the warp collectives: the running fiber deposits its contribution, and either
// completes the barrier (it was the last awaited thread) or suspends until the scheduler finds the
// barrier's generation advanced.
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "block.h"

namespace simt::detail {
namespace {

std::string format_site(const char* name, std::source_location site) {
  std::ostringstream out;
  out << name << " (" << site.file_name() << ':' << site.line() << ')';
  return out.str();
}

bool same_site(const BlockBarrier& barrier, const char* name, std::source_location site) {
  if (barrier.site.line() != site.line()) return false;
  // One call site passes the same string literals every time: compare pointers before contents.
  const bool same_name = barrier.name == name || std::strcmp(barrier.name, name) == 0;
  const char* file = site.file_name();
  return same_name && (barrier.site.file_name() == file || std::strcmp(barrier.site.file_name(), file) == 0);
}

EmulatedThread& running(const char* what) {
  if (running_thread == nullptr || running_block == nullptr) fail_outside_kernel(what);
  return *running_thread;
}

}  // namespace

int Block::arrive_at_block_barrier(EmulatedThread& thread, int predicate, const char* name,
                                   std::source_location site) {
  if (barrier_.arrived == 0) {
    barrier_.name = name;
    barrier_.site = site;
  } else if (!same_site(barrier_, name, site)) {
    // On a GPU this is undefined behaviour; here it is reported like a deadlock.
    throw DeadlockError("SIMT: threads of one block wait at different barriers: " + format_site(name, site) +
                        " and " + format_site(barrier_.name, barrier_.site));
  }
  barrier_.passed += predicate != 0 ? 1 : 0;
  const std::uint64_t generation = barrier_.generation;
  if (++barrier_.arrived == static_cast<int>(threads_.size())) {
    barrier_.results[generation & 1] = barrier_.passed;
    barrier_.arrived = 0;
    barrier_.passed = 0;
    ++barrier_.generation;
  } else {
    thread.state = WaitState::at_block_barrier;
    thread.waited_generation = generation;
    suspend(thread);
  }
  return barrier_.results[generation & 1];
}

WarpCollective& Block::collective_for(Warp& warp, WarpOp op, const char* name, unsigned mask, unsigned lane) {
  for (WarpCollective& collective : warp.collectives) {
    if (collective.mask != mask) continue;
    if (collective.arrived != 0 && collective.op != op) {
      std::ostringstream out;
      out << "SIMT: lanes of one warp disagree on the collective they call: lane " << lane << " calls " << name
          << " while lanes 0x" << std::hex << collective.arrived << " wait in " << collective.name
          << " (mask 0x" << mask << ')';
      throw DeadlockError(out.str());
    }
    collective.op = op;
    collective.name = name;
    return collective;
  }
  WarpCollective& created = warp.collectives.emplace_back();
  created.mask = mask;
  created.op = op;
  created.name = name;
  return created;
}

WarpExchange Block::arrive_at_warp_collective(EmulatedThread& thread, WarpOp op, const char* name, unsigned mask,
                                              std::uint64_t value) {
  const unsigned lane_bit = 1U << thread.lane;
  if ((mask & lane_bit) == 0) {
    std::ostringstream out;
    out << "SIMT: lane " << thread.lane << " calls " << name << " with mask 0x" << std::hex << mask
        << ", which does not include the calling lane";
    throw std::invalid_argument(out.str());
  }
  Warp& warp = warps_[thread.warp];
  WarpCollective& collective = collective_for(warp, op, name, mask & warp.existing, thread.lane);
  const std::uint64_t generation = collective.generation;
  const unsigned parity = static_cast<unsigned>(generation & 1);
  collective.values[parity][thread.lane] = value;
  collective.arrived |= lane_bit;
  const unsigned required = collective.mask & ~warp.exited;
  if ((collective.arrived & required) == required) {
    complete_collective(collective);
  } else {
    thread.state = WaitState::at_warp_collective;
    thread.waited_collective = &collective;
    thread.waited_generation = generation;
    suspend(thread);
  }
  return WarpExchange{collective.values[parity].data(), collective.participants[parity], thread.lane};
}

void Block::complete_collective(WarpCollective& collective) {
  collective.participants[collective.generation & 1] = collective.arrived;
  collective.arrived = 0;
  ++collective.generation;
}

unsigned Block::live_lanes(const EmulatedThread& thread) const {
  const Warp& warp = warps_[thread.warp];
  return warp.existing & ~warp.exited;
}

// ---- the entry points sync.h declares ----------------------------------------------------------------

int block_barrier(int predicate, const char* name, std::source_location site) {
  EmulatedThread& thread = running(name);
  return running_block->arrive_at_block_barrier(thread, predicate, name, site);
}

WarpExchange warp_exchange(WarpOp op, const char* name, unsigned mask, std::uint64_t value) {
  EmulatedThread& thread = running(name);
  return running_block->arrive_at_warp_collective(thread, op, name, mask, value);
}

Vote vote(const char* name, unsigned mask, int predicate) {
  const WarpExchange exchange = warp_exchange(WarpOp::vote, name, mask, predicate != 0 ? 1 : 0);
  Vote result{0, exchange.participants};
  for (unsigned lane = 0; lane < 32; ++lane) {
    const unsigned bit = 1U << lane;
    if ((exchange.participants & bit) != 0 && exchange.lane_values[lane] != 0) result.votes |= bit;
  }
  return result;
}

void fail_outside_kernel(const char* what) {
  throw std::logic_error(std::string("SIMT: ") + what + " used outside a kernel launched through the emulator");
}

void fail_shuffle_width(const char* name, int width) {
  throw std::invalid_argument(std::string("SIMT: ") + name + " width " + std::to_string(width) +
                              " is not a power of two in [1, 32]");
}

}  // namespace simt::detail

unsigned __activemask() {
  const simt::detail::EmulatedThread& thread = simt::detail::running("__activemask");
  return simt::detail::running_block->live_lanes(thread);
}
