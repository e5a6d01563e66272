// Reductions: dense and sparse row/column sums (bias gradients) and the double-precision sums of
// squares behind the loss and the L2 penalty.
//
// Every sum accumulates in double. Row and column sums give each output element to one thread, so
// they are deterministic by construction; the scalar sums use the fixed chunking of parallel.h, so
// their result does not depend on OMP_NUM_THREADS either.
#include <algorithm>

#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"
#include "sparse_slices.h"

namespace kernels::cpu {
namespace {

// Columns per task in column_sums: a tile of double accumulators that stays in L1.
constexpr std::int64_t kColumnTile = 64;
// Elements per chunk of the flat sums (see detail::deterministic_sum).
constexpr std::int64_t kFlatChunk = 1 << 14;
constexpr std::int64_t kParallelThreshold = 1 << 15;
// Elements per task of row_sums: tasks are claimed dynamically so that a thread slowed by another process
// on its core takes fewer of them (each output still has one owner: deterministic either way).
constexpr std::int64_t kElementsPerTask = 1 << 14;

// out[s] = alpha * sum of slice s's nonzeros + beta * out[s], one output per task (deterministic).
void slice_sums(const detail::SparseSlices& slices, offset_t nnz, float* out, float alpha, float beta) {
#pragma omp parallel for schedule(dynamic, 64) if (nnz > kParallelThreshold)
  for (index_t s = 0; s < slices.count; ++s) {
    const detail::SparseSlice slice = slices.slice(s);
    double sum = 0.0;
    for (std::int64_t q = 0; q < slice.count; ++q) sum += slice.value(q);
    out[s] = detail::blend(sum, alpha, beta, out[s]);
  }
}

}  // namespace

// out[j] = alpha * sum_i A(i, j) + beta * out[j].
void column_sums(MatrixView<const float> a, float* out, float alpha, float beta) {
  detail::require_matrix(a, "A");
  detail::require_array(out, a.cols, "out");
  const std::int64_t tiles = (a.cols + kColumnTile - 1) / kColumnTile;
#pragma omp parallel for schedule(dynamic, 1) if (a.rows * a.cols > kParallelThreshold)
  for (std::int64_t t = 0; t < tiles; ++t) {
    const std::int64_t j0 = t * kColumnTile;
    const std::int64_t width = std::min(kColumnTile, a.cols - j0);
    double acc[kColumnTile] = {};
    for (std::int64_t i = 0; i < a.rows; ++i) {
      const float* a_row = a.row(i) + j0;
      for (std::int64_t j = 0; j < width; ++j) acc[j] += a_row[j];
    }
    for (std::int64_t j = 0; j < width; ++j) out[j0 + j] = detail::blend(acc[j], alpha, beta, out[j0 + j]);
  }
}

// out[i] = alpha * sum_j A(i, j) + beta * out[i].
void row_sums(MatrixView<const float> a, float* out, float alpha, float beta) {
  detail::require_matrix(a, "A");
  detail::require_array(out, a.rows, "out");
#pragma omp parallel for schedule(dynamic, std::max<std::int64_t>(1, kElementsPerTask / std::max<std::int64_t>(a.cols, 1))) \
    if (a.rows * a.cols > kParallelThreshold)
  for (std::int64_t i = 0; i < a.rows; ++i) {
    double sum = 0.0;
    if (a.cols > 0) {
      const float* a_row = a.row(i);
#pragma omp simd reduction(+ : sum)
      for (std::int64_t j = 0; j < a.cols; ++j) sum += a_row[j];
    }
    out[i] = detail::blend(sum, alpha, beta, out[i]);
  }
}

// out[j] = alpha * sum of column j's nonzeros + beta * out[j]; values are CSR-ordered.
void sparse_column_sums(const CscPattern& a, const float* a_values, float* out, float alpha, float beta) {
  detail::require_csc(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  detail::require_array(out, a.cols, "out");
  slice_sums(detail::csc_columns(a, a_values), a.nnz, out, alpha, beta);
}

// out[i] = alpha * sum of row i's nonzeros + beta * out[i].
void sparse_row_sums(const CsrPattern& a, const float* a_values, float* out, float alpha, float beta) {
  detail::require_csr(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  detail::require_array(out, a.rows, "out");
  slice_sums(detail::csr_rows(a, a_values), a.nnz, out, alpha, beta);
}

// sum_i x[i]^2 in double, deterministic for any thread count.
double sum_of_squares(const float* x, std::int64_t n) {
  detail::require_array(x, n, "x");
  return detail::deterministic_sum(n, kFlatChunk, [x](std::int64_t begin, std::int64_t end) {
    double sum = 0.0;
#pragma omp simd reduction(+ : sum)
    for (std::int64_t i = begin; i < end; ++i) sum += static_cast<double>(x[i]) * x[i];
    return sum;
  });
}

// sum_i (x[i] - y[i])^2 in double; grad[i] = x[i] - y[i] when grad is not null (grad may alias x or y).
double squared_error(const float* x, const float* y, std::int64_t n, float* grad) {
  detail::require_array(x, n, "x");
  detail::require_array(y, n, "y");
  return detail::deterministic_sum(n, kFlatChunk, [=](std::int64_t begin, std::int64_t end) {
    double sum = 0.0;
    for (std::int64_t i = begin; i < end; ++i) {
      const float diff = x[i] - y[i];
      if (grad != nullptr) grad[i] = diff;
      sum += static_cast<double>(diff) * diff;
    }
    return sum;
  });
}

}  // namespace kernels::cpu
