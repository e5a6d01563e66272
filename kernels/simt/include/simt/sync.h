// Block barriers, warp collectives (shuffles, votes, __syncwarp) for the SIMT emulation. Each of them
// suspends the calling fiber until every thread it waits for has arrived (see scheduler.cpp); a wait
// that can never complete is reported by the launch as simt::DeadlockError instead of hanging.
#pragma once

#include <cstdint>
#include <cstring>
#include <source_location>
#include <type_traits>

#include "simt/thread_context.h"

namespace simt::detail {

// Waits until all threads of the block reach a __syncthreads; `site` names the call for messages and
// to detect threads waiting at different __syncthreads. Returns how many threads passed a non-zero
// predicate (for __syncthreads_count/_and/_or).
int block_barrier(int predicate, const char* name, std::source_location site);

enum class WarpOp { sync, shuffle, vote };

// What one warp collective returns to each participant: the value every lane deposited, and which
// lanes took part (the mask, minus lanes beyond the block's last thread and lanes that have exited).
struct WarpExchange {
  const std::uint64_t* lane_values;  // [32], valid until the caller's next collective
  unsigned participants;
  unsigned lane;  // the caller's lane
};

WarpExchange warp_exchange(WarpOp op, const char* name, unsigned mask, std::uint64_t value);

template <typename T>
std::uint64_t to_bits(T value) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t),
                "warp shuffles move 4- or 8-byte values");
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof value);
  return bits;
}

template <typename T>
T from_bits(std::uint64_t bits) {
  T value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Shared by every shuffle variant: `source_of(lane, segment_start)` picks the lane to read, or -1 for
// "keep my own value". Reading a lane that did not take part also yields the caller's own value.
[[noreturn]] void fail_shuffle_width(const char* name, int width);

template <typename T, typename SourceLane>
T shuffle(const char* name, unsigned mask, T value, int width, SourceLane source_of) {
  if (width < 1 || width > 32 || (width & (width - 1)) != 0) fail_shuffle_width(name, width);
  const WarpExchange exchange = warp_exchange(WarpOp::shuffle, name, mask, to_bits(value));
  const int lane = static_cast<int>(exchange.lane);
  const int segment_start = lane & ~(width - 1);
  const int source = source_of(lane, segment_start);
  if (source < 0 || source >= 32 || (exchange.participants & (1U << source)) == 0) return value;
  return from_bits<T>(exchange.lane_values[source]);
}

struct Vote {
  unsigned votes;         // lanes whose predicate was non-zero
  unsigned participants;  // lanes that took part
};
Vote vote(const char* name, unsigned mask, int predicate);

}  // namespace simt::detail

inline void __syncthreads(std::source_location site = std::source_location::current()) {
  ::simt::detail::block_barrier(1, "__syncthreads", site);
}
inline int __syncthreads_count(int predicate, std::source_location site = std::source_location::current()) {
  return ::simt::detail::block_barrier(predicate, "__syncthreads_count", site);
}
inline int __syncthreads_or(int predicate, std::source_location site = std::source_location::current()) {
  return ::simt::detail::block_barrier(predicate, "__syncthreads_or", site) != 0 ? 1 : 0;
}
inline int __syncthreads_and(int predicate, std::source_location site = std::source_location::current()) {
  const int passed = ::simt::detail::block_barrier(predicate, "__syncthreads_and", site);
  const dim3& dim = ::simt::detail::current("__syncthreads_and").block->block_dim;
  return passed == static_cast<int>(dim.x * dim.y * dim.z) ? 1 : 0;
}

inline void __syncwarp(unsigned mask = 0xffffffffU) {
  ::simt::detail::warp_exchange(::simt::detail::WarpOp::sync, "__syncwarp", mask, 0);
}

template <typename T>
T __shfl_sync(unsigned mask, T value, int source_lane, int width = warpSize) {
  return ::simt::detail::shuffle("__shfl_sync", mask, value, width,
                                 [&](int, int segment_start) { return segment_start + (source_lane & (width - 1)); });
}

template <typename T>
T __shfl_up_sync(unsigned mask, T value, unsigned delta, int width = warpSize) {
  return ::simt::detail::shuffle("__shfl_up_sync", mask, value, width, [&](int lane, int segment_start) {
    const int source = lane - static_cast<int>(delta);
    return source < segment_start ? -1 : source;
  });
}

template <typename T>
T __shfl_down_sync(unsigned mask, T value, unsigned delta, int width = warpSize) {
  return ::simt::detail::shuffle("__shfl_down_sync", mask, value, width, [&](int lane, int segment_start) {
    const int source = lane + static_cast<int>(delta);
    return source >= segment_start + width ? -1 : source;
  });
}

// As in CUDA: a lane may read from earlier width-segments but not from later ones.
template <typename T>
T __shfl_xor_sync(unsigned mask, T value, int lane_mask, int width = warpSize) {
  return ::simt::detail::shuffle("__shfl_xor_sync", mask, value, width, [&](int lane, int segment_start) {
    const int source = lane ^ lane_mask;
    return source >= segment_start + width ? -1 : source;
  });
}

inline unsigned __ballot_sync(unsigned mask, int predicate) {
  return ::simt::detail::vote("__ballot_sync", mask, predicate).votes;
}
inline int __any_sync(unsigned mask, int predicate) {
  return ::simt::detail::vote("__any_sync", mask, predicate).votes != 0 ? 1 : 0;
}
inline int __all_sync(unsigned mask, int predicate) {
  const ::simt::detail::Vote result = ::simt::detail::vote("__all_sync", mask, predicate);
  return result.votes == result.participants ? 1 : 0;
}

// The lanes of the caller's warp that exist and have not exited (the emulator cannot see divergence).
unsigned __activemask();
