// CUDA's function qualifiers and device-side helper functions, mapped onto plain C++ for the SIMT
// emulation. Everything here is ordinary host code: the emulated threads are fibers on one OS thread.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

// ---- qualifiers -----------------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __constant__
#define __forceinline__ inline
#define __align__(n) alignas(n)
#define __launch_bounds__(...)
// g++ already knows __restrict__ as a keyword, so kernel signatures keep their aliasing promises.
// __noinline__ is deliberately not defined: libstdc++ writes __attribute__((__noinline__)), which any
// macro of that name breaks (nvcc only defines it when compiling CUDA). Kernels must not use it.

// Shared memory is per block: every fiber of a block runs on the same OS thread, so a thread_local is
// exactly one copy per block. Plain `thread_local`, not `static thread_local`: at function scope it
// already has static storage, and `static __shared__` in kernel code would become `static static`.
// Consequence: shared memory keeps its values from one block to the next (undefined on a GPU).
#define __shared__ thread_local

// ---- loads and bit casts ----------------------------------------------------------------------------
template <typename T>
inline T __ldg(const T* address) {
  return *address;
}

inline int __float_as_int(float value) {
  int bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}
inline float __int_as_float(int bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}
inline unsigned __float_as_uint(float value) { return static_cast<unsigned>(__float_as_int(value)); }
inline float __uint_as_float(unsigned bits) { return __int_as_float(static_cast<int>(bits)); }

// ---- fast-math intrinsics: exact host versions (the GPU's are approximations of these) ------------
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fdividef(float x, float y) { return x / y; }
inline float __frcp_rn(float x) { return 1.0F / x; }
inline float __fsqrt_rn(float x) { return std::sqrt(x); }
inline float __saturatef(float x) { return x < 0.0F ? 0.0F : (x > 1.0F ? 1.0F : x); }
inline float __fmaf_rn(float x, float y, float z) { return std::fma(x, y, z); }
inline float rsqrtf(float x) { return 1.0F / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }

// ---- integer intrinsics ---------------------------------------------------------------------------
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }

// ---- min / max: CUDA declares them for mixed arithmetic types in the global namespace --------------
template <typename A, typename B, typename = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B>>>
constexpr std::common_type_t<A, B> min(A a, B b) {
  using C = std::common_type_t<A, B>;
  return static_cast<C>(b) < static_cast<C>(a) ? static_cast<C>(b) : static_cast<C>(a);
}
template <typename A, typename B, typename = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B>>>
constexpr std::common_type_t<A, B> max(A a, B b) {
  using C = std::common_type_t<A, B>;
  return static_cast<C>(a) < static_cast<C>(b) ? static_cast<C>(b) : static_cast<C>(a);
}
