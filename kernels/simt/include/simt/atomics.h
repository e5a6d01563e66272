// CUDA atomics under the SIMT emulation. A block's fibers run on one OS thread and only switch at
// barriers and warp collectives, never inside these functions, and blocks run one after another, so a
// plain read-modify-write is atomic with respect to every other emulated thread. (If blocks ever run on
// several OS threads, these must become std::atomic_ref operations.) Each returns the old value.
#pragma once

#include <type_traits>

namespace simt::detail {
template <typename T, typename Update>
inline T read_modify_write(T* address, Update update) {
  const T old = *address;
  *address = update(old);
  return old;
}
}  // namespace simt::detail

#define SIMT_DEFINE_ATOMIC(name, type, expression)                                                   \
  inline type name(type* address, type value) {                                                      \
    return ::simt::detail::read_modify_write(address, [value]([[maybe_unused]] type old) -> type { return expression; }); \
  }

SIMT_DEFINE_ATOMIC(atomicAdd, float, old + value)
SIMT_DEFINE_ATOMIC(atomicAdd, double, old + value)
SIMT_DEFINE_ATOMIC(atomicAdd, int, old + value)
SIMT_DEFINE_ATOMIC(atomicAdd, unsigned, old + value)
SIMT_DEFINE_ATOMIC(atomicAdd, unsigned long long, old + value)
SIMT_DEFINE_ATOMIC(atomicSub, int, old - value)
SIMT_DEFINE_ATOMIC(atomicSub, unsigned, old - value)
SIMT_DEFINE_ATOMIC(atomicMax, int, old < value ? value : old)
SIMT_DEFINE_ATOMIC(atomicMax, unsigned, old < value ? value : old)
SIMT_DEFINE_ATOMIC(atomicMin, int, value < old ? value : old)
SIMT_DEFINE_ATOMIC(atomicMin, unsigned, value < old ? value : old)
SIMT_DEFINE_ATOMIC(atomicExch, int, value)
SIMT_DEFINE_ATOMIC(atomicExch, unsigned, value)
SIMT_DEFINE_ATOMIC(atomicExch, unsigned long long, value)
SIMT_DEFINE_ATOMIC(atomicExch, float, value)
#undef SIMT_DEFINE_ATOMIC

template <typename T>
inline T atomicCAS(T* address, T compare, T value) {
  static_assert(std::is_same_v<T, int> || std::is_same_v<T, unsigned> || std::is_same_v<T, unsigned long long>,
                "atomicCAS exists for int, unsigned and unsigned long long");
  const T old = *address;
  if (old == compare) *address = value;
  return old;
}
