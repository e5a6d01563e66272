// Shared pieces of the CUDA kernels (private to kernels/cuda): the host-side precondition checks, warp and
// block reductions, grid-stride helpers and the alignment test of the float4 paths. Everything here
// compiles under nvcc and under the SIMT emulation alike.
#pragma once

#include <cstdint>

// cuda_platform.h first: under the emulation it defines __host__/__device__, which views.h uses.
#include "kernels/cuda_platform.h"
// (the blank line keeps clang-format from reordering it)

#include "kernels/activation.h"
#include "kernels/activation_dispatch.h"
#include "kernels/bfloat16.h"
#include "kernels/check.h"
#include "kernels/cuda_launch.cuh"
#include "kernels/preconditions.h"
#include "kernels/views.h"

namespace kernels::cuda::detail {

// ---- bf16 tables ------------------------------------------------------------------------------------
// A bf16x2 word (two adjacent bf16 elements, the lower address in the low half) widened to fp32: the
// same shift and mask that __bfloat1622float2 compiles to, written on the bits so that the emulation
// (which has no cuda_bf16.h) runs the very same code.
__device__ __forceinline__ float low_bf16(std::uint32_t pair) { return __uint_as_float(pair << 16); }
__device__ __forceinline__ float high_bf16(std::uint32_t pair) { return __uint_as_float(pair & 0xffff0000u); }
__device__ __forceinline__ float load_bf16(const bfloat16* __restrict__ x) {
  return __uint_as_float(std::uint32_t{__ldg(&x->bits)} << 16);
}

// One element, or four adjacent ones (a float4, or two bf16x2 words: 8 bytes), of an fp32 or bf16 table
// row, widened to fp32: the kernels that gather table rows are written once for both element types.
__device__ __forceinline__ float load1(const float* __restrict__ x) { return __ldg(x); }
__device__ __forceinline__ float load1(const bfloat16* __restrict__ x) { return load_bf16(x); }
__device__ __forceinline__ float4 load4(const float* __restrict__ x) { return __ldg(reinterpret_cast<const float4*>(x)); }
__device__ __forceinline__ float4 load4(const bfloat16* __restrict__ x) {
  const uint2 pairs = __ldg(reinterpret_cast<const uint2*>(x));
  return make_float4(low_bf16(pairs.x), high_bf16(pairs.x), low_bf16(pairs.y), high_bf16(pairs.y));
}

// KERNELS_UNROLL(4) before a loop: nvcc's `#pragma unroll`, GCC's `#pragma GCC unroll` under the emulation.
#define KERNELS_PRAGMA(text) _Pragma(#text)
#if defined(__CUDACC__)
#define KERNELS_UNROLL(n) KERNELS_PRAGMA(unroll n)
#else
#define KERNELS_UNROLL(n) KERNELS_PRAGMA(GCC unroll n)
#endif

inline constexpr unsigned kFullWarp = 0xffffffffu;
inline constexpr int kWarp = 32;
// Grid-stride kernels launch at most this many blocks: enough to fill an H100 (132 SMs x 8 blocks of
// 256 threads) while each thread still loops over several elements.
inline constexpr unsigned kMaxGridStrideBlocks = 1056;
inline constexpr int kFlatThreads = 256;

// ---- host-side helpers ------------------------------------------------------------------------------
// The precondition checks and the activation dispatch, shared with the CPU kernels
// (kernels/preconditions.h, kernels/activation_dispatch.h). The index arrays live on the device, so
// unlike the CPU kernels nothing beyond shapes and pointers is checked.
using namespace kernels::detail;

// Four-element vector loads of T (float4, or two bf16x2 words of a bf16 table) need 4 * sizeof(T)-byte
// aligned addresses: the base pointer and every row start.
template <class T>
inline bool aligned_for_vector4(const T* data, std::int64_t ld) {
  return reinterpret_cast<std::uintptr_t>(data) % (4 * sizeof(T)) == 0 && ld % 4 == 0;
}

// float4 loads and stores need 16-byte aligned addresses: the base pointer and every row start.
inline bool aligned_for_float4(const void* data, std::int64_t ld) {
  return reinterpret_cast<std::uintptr_t>(data) % 16 == 0 && ld % 4 == 0;
}

// A grid of at most kMaxGridStrideBlocks blocks of kFlatThreads threads for a grid-stride loop over n.
inline unsigned grid_stride_blocks(std::int64_t n) {
  const unsigned blocks = blocks_for(n, kFlatThreads);
  return blocks < kMaxGridStrideBlocks ? blocks : kMaxGridStrideBlocks;
}

// ---- device helpers ---------------------------------------------------------------------------------

// First element and stride of a 1-D grid-stride loop, in 64 bits (n may exceed 2^31).
struct GridStride {
  std::int64_t first;
  std::int64_t stride;
};
__device__ __forceinline__ GridStride grid_stride() {
  return {std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x, std::int64_t{gridDim.x} * blockDim.x};
}

// alpha * sum + beta * old, where beta == 0 overwrites without reading old (C may hold NaNs then).
__device__ __forceinline__ float blend(float sum, float alpha, float beta, const float* old) {
  return beta == 0.0f ? alpha * sum : alpha * sum + beta * *old;
}

// Sum over the 32 lanes of a warp; every lane gets the total. All lanes must call it.
template <class T>
__device__ __forceinline__ T warp_sum(T value) {
  for (int offset = kWarp / 2; offset > 0; offset /= 2) value += __shfl_xor_sync(kFullWarp, value, offset);
  return value;
}

// Sum over each aligned group of `Group` lanes (a power of two <= 32); every lane gets its group's total.
template <int Group, class T>
__device__ __forceinline__ T group_sum(T value) {
  for (int offset = Group / 2; offset > 0; offset /= 2) value += __shfl_xor_sync(kFullWarp, value, offset);
  return value;
}

__device__ __forceinline__ int warp_max(int value) {
  for (int offset = kWarp / 2; offset > 0; offset /= 2) {
    const int other = __shfl_xor_sync(kFullWarp, value, offset);
    value = other > value ? other : value;
  }
  return value;
}

// Adds the sum of `value` over the block (kThreads threads, a multiple of 32, 1-D) to *total with one
// atomicAdd per block. The order of the blocks' additions varies, so the last bits of *total may too.
template <int kThreads>
__device__ void add_block_sum(double value, double* total) {
  static_assert(kThreads % kWarp == 0 && kThreads <= 1024, "whole warps only");
  __shared__ double warp_totals[kThreads / kWarp];
  value = warp_sum(value);
  const int warp = static_cast<int>(threadIdx.x) / kWarp;
  if (threadIdx.x % kWarp == 0) warp_totals[warp] = value;
  __syncthreads();
  if (threadIdx.x == 0) {
    double block_total = 0.0;
    for (int w = 0; w < kThreads / kWarp; ++w) block_total += warp_totals[w];
    atomicAdd(total, block_total);
  }
}

}  // namespace kernels::cuda::detail
