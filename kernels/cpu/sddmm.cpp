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

// out[q] = <a_row, B row cols[q]> for the count nonzeros of one row (k-long dot products).
KERNELS_CPU_MULTIVERSION
void sddmm_row(const float* __restrict a_row, const float* __restrict b, std::int64_t ldb, std::int64_t k,
               const index_t* __restrict cols, std::int64_t count, float* __restrict out) {
  for (std::int64_t q = 0; q < count; ++q) {
    const float* __restrict b_row = b + cols[q] * ldb;
    float sum = 0.0f;
    // The simd reduction lets the compiler reorder the sum into vector lanes (no -ffast-math needed).
#pragma omp simd reduction(+ : sum)
    for (std::int64_t j = 0; j < k; ++j) sum += a_row[j] * b_row[j];
    out[q] = sum;
  }
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

}  // namespace kernels::cpu
