// Sampled dense-dense products: dot products <A_i, B_j> only at the nonzeros (i, j) of a pattern, and
// the AutoRec output layer fused with its error and loss. Work is split by nonzeros, not rows, so a
// very long row does not serialise on one thread.
#include <algorithm>

#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"
#include "simd.h"

namespace kernels::cpu {
namespace {

// Nonzeros per task: enough to amortise the scheduling, few enough to balance heavy-tailed rows.
constexpr std::int64_t kNonzerosPerChunk = 2048;

// out[q] = <a_row, B row cols[q]> for the count nonzeros of one row (k-long dot products); B's rows
// are fp32 or bf16 (TB), the sums fp32.
template <class TB>
[[gnu::always_inline]] inline void sddmm_row_impl(const float* __restrict a_row, const TB* __restrict b,
                                                  std::int64_t ldb, std::int64_t k, const index_t* __restrict cols,
                                                  std::int64_t count, float* __restrict out) {
  for (std::int64_t q = 0; q < count; ++q) {
    const TB* __restrict b_row = b + cols[q] * ldb;
    float sum = 0.0f;
    // The simd reduction lets the compiler reorder the sum into vector lanes (no -ffast-math needed).
#pragma omp simd reduction(+ : sum)
    for (std::int64_t j = 0; j < k; ++j) sum += a_row[j] * to_float(b_row[j]);
    out[q] = sum;
  }
}

// Plain functions per table type: only those can be multiversioned (simd.h).
KERNELS_CPU_MULTIVERSION
void sddmm_row(const float* __restrict a_row, const float* __restrict b, std::int64_t ldb, std::int64_t k,
               const index_t* __restrict cols, std::int64_t count, float* __restrict out) {
  sddmm_row_impl(a_row, b, ldb, k, cols, count, out);
}
KERNELS_CPU_MULTIVERSION
void sddmm_row(const float* __restrict a_row, const bfloat16* __restrict b, std::int64_t ldb, std::int64_t k,
               const index_t* __restrict cols, std::int64_t count, float* __restrict out) {
  sddmm_row_impl(a_row, b, ldb, k, cols, count, out);
}

void require_sddmm_shapes(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b) {
  detail::require_csr(pattern, "pattern");
  detail::require_sddmm_operands(pattern, a, b);
}

// Dot products of the nonzeros [begin, end) into out[begin, end).
void sddmm_range(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b, offset_t begin,
                 offset_t end, float* out) {
  if (a.cols == 0) {  // k = 0: empty dot products (and possibly null dense data to offset from)
    std::fill(out + begin, out + end, 0.0f);
    return;
  }
  detail::for_rows_in_range(pattern.offsets, pattern.rows, begin, end, [&](index_t i, offset_t p0, offset_t p1) {
    sddmm_row(a.data + i * a.ld, b.data, b.ld, a.cols, pattern.indices + p0, p1 - p0, out + p0);
  });
}

// Nonzeros whose W rows are dotted and then added to dH while still in L1/L2 (16 x 2 KiB at k = 500).
constexpr std::int64_t kBackpropBlock = 16;

// acc += v0 * b0 + v1 * b1 (and the single form): the arithmetic of spmm_row, so dH equals the
// unfused spmm's bit for bit (for either table type).
template <class TB>
[[gnu::always_inline]] inline void add_scaled_pair_impl(float* __restrict acc, std::int64_t k, float v0,
                                                        const TB* __restrict b0, float v1, const TB* __restrict b1) {
  for (std::int64_t j = 0; j < k; ++j) acc[j] += v0 * to_float(b0[j]) + v1 * to_float(b1[j]);
}
template <class TB>
[[gnu::always_inline]] inline void add_scaled_impl(float* __restrict acc, std::int64_t k, float v0,
                                                   const TB* __restrict b0) {
  for (std::int64_t j = 0; j < k; ++j) acc[j] += v0 * to_float(b0[j]);
}
KERNELS_CPU_MULTIVERSION
void add_scaled_pair(float* __restrict acc, std::int64_t k, float v0, const float* __restrict b0, float v1,
                     const float* __restrict b1) {
  add_scaled_pair_impl(acc, k, v0, b0, v1, b1);
}
KERNELS_CPU_MULTIVERSION
void add_scaled_pair(float* __restrict acc, std::int64_t k, float v0, const bfloat16* __restrict b0, float v1,
                     const bfloat16* __restrict b1) {
  add_scaled_pair_impl(acc, k, v0, b0, v1, b1);
}
KERNELS_CPU_MULTIVERSION
void add_scaled(float* __restrict acc, std::int64_t k, float v0, const float* __restrict b0) {
  add_scaled_impl(acc, k, v0, b0);
}
KERNELS_CPU_MULTIVERSION
void add_scaled(float* __restrict acc, std::int64_t k, float v0, const bfloat16* __restrict b0) {
  add_scaled_impl(acc, k, v0, b0);
}

// Row i of the fused output layer, gathering W from `w` (the fp32 weights or their bf16 copy); returns
// its sum of squared errors.
template <class TW>
double backprop_row(const OutputLayerBackprop& p, MatrixView<const TW> w, index_t i) {
  const offset_t first = p.pattern.offsets[i];
  const std::int64_t count = p.pattern.offsets[i + 1] - first;
  const std::int64_t k = p.h.cols;
  const index_t* cols = p.pattern.indices + first;
  float* errors = p.errors + first;
  float* dh_row = p.dh.row(i);
  std::fill(dh_row, dh_row + k, 0.0f);
  double loss = 0.0;
  for (std::int64_t q0 = 0; q0 < count; q0 += kBackpropBlock) {
    const std::int64_t n = std::min(kBackpropBlock, count - q0);
    if (k > 0) sddmm_row(p.h.row(i), w.data, w.ld, k, cols + q0, n, errors + q0);
    for (std::int64_t q = q0; q < q0 + n; ++q) {
      const float o = (k > 0 ? errors[q] : 0.0f) + (p.bias != nullptr ? p.bias[cols[q]] : 0.0f);
      const float diff = activate(p.f, o) - p.ratings[first + q];
      errors[q] = diff * activate_derivative(p.f, o);
      loss += static_cast<double>(diff) * diff;
    }
    // Pairs from the row's start, as spmm_row takes them (blocks hold an even number of nonzeros).
    std::int64_t q = q0;
    for (; q + 2 <= q0 + n; q += 2) {
      add_scaled_pair(dh_row, k, p.alpha * errors[q], w.row(cols[q]), p.alpha * errors[q + 1], w.row(cols[q + 1]));
    }
    if (q < q0 + n) add_scaled(dh_row, k, p.alpha * errors[q], w.row(cols[q]));
  }
  return loss;
}

}  // namespace

void sddmm(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b, float* out) {
  require_sddmm_shapes(pattern, a, b);
  detail::require_array(out, pattern.nnz, "out");
  detail::parallel_chunks(pattern.nnz, kNonzerosPerChunk,
                          [&](offset_t begin, offset_t end) { sddmm_range(pattern, a, b, begin, end, out); });
}

// For each observed p = (i, j):  o = <H_i, W_j> + c_j,  y = f(o),  e_p = (y - r_p) * f'(o);
// returns sum_p (y - r_p)^2 in double, independent of the thread count (see parallel.h).
double sddmm_squared_error(const CsrPattern& pattern, MatrixView<const float> h, MatrixView<const float> w,
                           const float* bias, const float* ratings, Activation f, float* errors, float* predictions) {
  require_sddmm_shapes(pattern, h, w);
  detail::require_array(ratings, pattern.nnz, "ratings");
  detail::require_array(errors, pattern.nnz, "errors");
  // bias is optional (null: no output bias); predictions is optional too.
  return detail::deterministic_sum(pattern.nnz, kNonzerosPerChunk, [&](offset_t begin, offset_t end) {
    sddmm_range(pattern, h, w, begin, end, errors);  // errors[] holds the raw dot products for a moment
    double chunk_loss = 0.0;
    for (offset_t p = begin; p < end; ++p) {
      const index_t j = pattern.indices[p];
      const float o = errors[p] + (bias != nullptr ? bias[j] : 0.0f);
      const float y = activate(f, o);
      const float diff = y - ratings[p];
      errors[p] = diff * activate_derivative(f, o);
      if (predictions != nullptr) predictions[p] = y;
      chunk_loss += static_cast<double>(diff) * diff;
    }
    return chunk_loss;
  });
}

// One task per row (the row owns its dH row); rows are cut into a number of chunks that depends on the
// row count only, so the loss does not depend on the thread count.
double sddmm_squared_error_backprop(const OutputLayerBackprop& p) {
  require_sddmm_shapes(p.pattern, p.h, p.w);
  detail::require_array(p.ratings, p.pattern.nnz, "ratings");
  detail::require_array(p.errors, p.pattern.nnz, "errors");
  detail::require_matrix(p.dh, "dH");
  KERNELS_REQUIRE(p.dh.rows == p.pattern.rows && p.dh.cols == p.h.cols,
                  "dH is ", p.dh.rows, " x ", p.dh.cols, ", expected ", p.pattern.rows, " x ", p.h.cols);
  kernels::detail::require_bf16_copy(p.w_bf16, p.w);
  const bool bf16_table = p.w_bf16.data != nullptr;
  return detail::deterministic_sum(p.pattern.rows, 1, [&](std::int64_t begin, std::int64_t end) {
    double loss = 0.0;
    for (std::int64_t i = begin; i < end; ++i) {
      loss += bf16_table ? backprop_row(p, p.w_bf16, static_cast<index_t>(i)) : backprop_row(p, p.w, static_cast<index_t>(i));
    }
    return loss;
  });
}

}  // namespace kernels::cpu
