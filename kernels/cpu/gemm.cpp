// Dense C (m x n) = alpha * op(A) (m x depth) . op(B) (depth x n) + beta * C, row-major.
//
// Two loop shapes cover the useful cases, both with contiguous inner loops:
//  - op(B) = B (B's rows are contiguous along n): "axpy form", C row i += op(A)(i, l) * B row l, with
//    a tile of C's row in registers while l runs over a depth block (A may be transposed: its
//    elements are read with a stride, one per l);
//  - op(B) = B^T with op(A) = A (decoding H . W^T): "dot form", C(i, j) = <A row i, B row j>, four
//    B rows at a time so each load of A's row feeds four dot products.
// A^T . B^T falls back to a plain strided loop (nothing in the project needs it).
// Threads own blocks of C's rows, so there are no atomics and the result is deterministic.
#include <algorithm>

#include "kernels/cpu.h"
#include "preconditions.h"
#include "simd.h"

namespace kernels::cpu {
namespace {

constexpr std::int64_t kRowBlock = 16;     // rows of C per task
constexpr std::int64_t kDepthBlock = 256;  // depth per pass
constexpr std::int64_t kColBlock = 256;    // columns per pass: with kDepthBlock a 256 KiB panel of B
constexpr std::int64_t kColTile = 64;      // C row tile held in registers in the axpy form
constexpr std::int64_t kDotRows = 4;       // B rows per A-row load in the dot form

// c_row[0..width) += alpha * sum_{l < depth} a[l * a_stride] * B(l, 0..width)  (B: depth x >= width).
KERNELS_CPU_MULTIVERSION
void axpy_panel(float* __restrict c_row, const float* __restrict a, std::int64_t a_stride, std::int64_t depth,
                const float* __restrict b, std::int64_t ldb, std::int64_t width, float alpha) {
  alignas(64) float acc[kColTile];
  for (std::int64_t j0 = 0; j0 < width; j0 += kColTile) {
    const std::int64_t w = std::min(kColTile, width - j0);
    std::fill(acc, acc + kColTile, 0.0f);
    for (std::int64_t l = 0; l < depth; ++l) {
      const float a_il = a[l * a_stride];
      const float* __restrict b_row = b + l * ldb + j0;
      if (w == kColTile) {
        for (std::int64_t j = 0; j < kColTile; ++j) acc[j] += a_il * b_row[j];
      } else {
        for (std::int64_t j = 0; j < w; ++j) acc[j] += a_il * b_row[j];
      }
    }
    for (std::int64_t j = 0; j < w; ++j) c_row[j0 + j] += alpha * acc[j];
  }
}

// c_row[q] += alpha * <a_row, B row q> for q < count (B rows of length depth).
KERNELS_CPU_MULTIVERSION
void dot_panel(float* __restrict c_row, const float* __restrict a_row, const float* __restrict b, std::int64_t ldb,
               std::int64_t count, std::int64_t depth, float alpha) {
  std::int64_t q = 0;
  for (; q + kDotRows <= count; q += kDotRows) {
    const float* __restrict b0 = b + q * ldb;
    const float* __restrict b1 = b0 + ldb;
    const float* __restrict b2 = b1 + ldb;
    const float* __restrict b3 = b2 + ldb;
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (std::int64_t l = 0; l < depth; ++l) {
      s0 += a_row[l] * b0[l];
      s1 += a_row[l] * b1[l];
      s2 += a_row[l] * b2[l];
      s3 += a_row[l] * b3[l];
    }
    c_row[q] += alpha * s0;
    c_row[q + 1] += alpha * s1;
    c_row[q + 2] += alpha * s2;
    c_row[q + 3] += alpha * s3;
  }
  for (; q < count; ++q) {
    const float* __restrict b_row = b + q * ldb;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (std::int64_t l = 0; l < depth; ++l) sum += a_row[l] * b_row[l];
    c_row[q] += alpha * sum;
  }
}

using kernels::detail::GemmShape;

// C rows [i0, i1) = beta * C (beta == 0 overwrites, NaNs too).
void scale_rows(MatrixView<float> c, std::int64_t i0, std::int64_t i1, float beta) {
  for (std::int64_t i = i0; i < i1; ++i) {
    float* c_row = c.row(i);
    for (std::int64_t j = 0; j < c.cols; ++j) c_row[j] = beta == 0.0f ? 0.0f : beta * c_row[j];
  }
}

// Accumulates alpha * op(A) . op(B) into C rows [i0, i1).
void accumulate_rows(bool transpose_a, bool transpose_b, float alpha, MatrixView<const float> a,
                     MatrixView<const float> b, MatrixView<float> c, GemmShape s, std::int64_t i0, std::int64_t i1) {
  // op(A)(i, l) lives at a_base(i) + l * a_stride.
  const std::int64_t a_stride = transpose_a ? a.ld : 1;
  const auto a_base = [&](std::int64_t i) { return transpose_a ? a.data + i : a.row(i); };
  if (!transpose_b) {
    for (std::int64_t l0 = 0; l0 < s.depth; l0 += kDepthBlock) {
      const std::int64_t depth = std::min(kDepthBlock, s.depth - l0);
      for (std::int64_t j0 = 0; j0 < s.n; j0 += kColBlock) {
        // The (depth x width) panel of B is reused by every row of the block while it is in cache.
        const std::int64_t width = std::min(kColBlock, s.n - j0);
        for (std::int64_t i = i0; i < i1; ++i)
          axpy_panel(c.row(i) + j0, a_base(i) + l0 * a_stride, a_stride, depth, b.row(l0) + j0, b.ld, width, alpha);
      }
    }
  } else if (!transpose_a) {
    for (std::int64_t i = i0; i < i1; ++i) dot_panel(c.row(i), a.row(i), b.data, b.ld, s.n, s.depth, alpha);
  } else {
    for (std::int64_t i = i0; i < i1; ++i) {
      for (std::int64_t j = 0; j < s.n; ++j) {
        float sum = 0.0f;
        for (std::int64_t l = 0; l < s.depth; ++l) sum += a(l, i) * b(j, l);
        c(i, j) += alpha * sum;
      }
    }
  }
}

}  // namespace

void gemm(bool transpose_a, bool transpose_b, float alpha, MatrixView<const float> a, MatrixView<const float> b,
          float beta, MatrixView<float> c) {
  const GemmShape s = detail::require_gemm_operands(transpose_a, transpose_b, a, b, c);
  if (s.m == 0 || s.n == 0) return;
  const std::int64_t blocks = (s.m + kRowBlock - 1) / kRowBlock;
#pragma omp parallel for schedule(dynamic, 1) if (s.m * s.n * s.depth > (1 << 16))
  for (std::int64_t block = 0; block < blocks; ++block) {
    const std::int64_t i0 = block * kRowBlock;
    const std::int64_t i1 = std::min(s.m, i0 + kRowBlock);
    scale_rows(c, i0, i1, beta);
    if (s.depth > 0) accumulate_rows(transpose_a, transpose_b, alpha, a, b, c, s, i0, i1);
  }
}

}  // namespace kernels::cpu
