// bfloat16 tables (`--precision bf16`): the gathered weight tables of the sparse layers stored as the
// top 16 bits of each float32 (8 exponent bits like fp32, 7 mantissa bits), read by the gathering
// kernels and widened to fp32 before any arithmetic; sums stay fp32, and the fp32 master weights
// and optimizer state stay where they are.
//
// A plain struct of the bits, so that the CPU kernels, the SIMT emulation and nvcc share one type and
// one rounding, bit for bit. Widening is a 16-bit shift (what __bfloat162float compiles to); the CUDA
// kernels load bf16 pairs as one 32-bit word (bf16x2) and widen both halves with a shift and a mask.
#pragma once

#include <cstdint>

#if !defined(__CUDA_ARCH__)
#include <bit>
#endif

#include "kernels/views.h"  // KERNELS_HOST_DEVICE

namespace kernels {

struct bfloat16 {
  std::uint16_t bits;
};
static_assert(sizeof(bfloat16) == 2, "bfloat16 tables are read as packed 16-bit words");

KERNELS_HOST_DEVICE inline std::uint32_t float_to_bits(float x) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(x);
#else
  return std::bit_cast<std::uint32_t>(x);
#endif
}

KERNELS_HOST_DEVICE inline float bits_to_float(std::uint32_t u) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(u);
#else
  return std::bit_cast<float>(u);
#endif
}

// Exact: every bfloat16 is a float32. (The fp32 overload lets kernels templated on the table's element
// type widen either; GCC vectorises the bf16 one as a zero-extension and a shift.)
KERNELS_HOST_DEVICE inline float to_float(bfloat16 x) { return bits_to_float(std::uint32_t{x.bits} << 16); }
KERNELS_HOST_DEVICE inline float to_float(float x) { return x; }

// Round to nearest, ties to even (the rounding of __float2bfloat16_rn): add 0x7fff plus the lowest kept
// bit, then truncate. Finite values too large round to +-Inf, subnormals round like normals (the
// bit pattern is the same scale), +-Inf stay +-Inf. NaN stays NaN: its sign and top payload bits are
// kept and the quiet bit is set, so a payload living only in the dropped bits cannot become Inf.
KERNELS_HOST_DEVICE inline bfloat16 to_bfloat16(float x) {
  const std::uint32_t u = float_to_bits(x);
  if ((u & 0x7fffffffu) > 0x7f800000u) return {static_cast<std::uint16_t>((u >> 16) | 0x0040u)};
  const std::uint32_t rounded = u + 0x7fffu + ((u >> 16) & 1u);
  return {static_cast<std::uint16_t>(rounded >> 16)};
}

}  // namespace kernels
