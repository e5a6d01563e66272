// Dense elementwise kernels: fused bias + activation, its backward, inverted dropout, and the flat
// fill / scale / axpy used by the optimizers and the engine.
#include <algorithm>

#include "kernels/activation_dispatch.h"
#include "kernels/cpu.h"
#include "kernels/random.h"
#include "preconditions.h"

namespace kernels::cpu {
namespace {

// Below this many elements a flat loop runs on the calling thread: waking the team costs more.
constexpr std::int64_t kParallelThreshold = 1 << 15;
// Elements per task of the parallel loops. Tasks are claimed dynamically, not split evenly up front: when
// another process shares a core with one of the threads, the other thread takes more of them (static
// shares would make every loop wait for the slowed thread). 16 Ki elements amortise the claim.
constexpr std::int64_t kElementsPerTask = 1 << 14;

// Rows per task for a matrix of `cols` columns: about kElementsPerTask elements, at least one row.
inline std::int64_t rows_per_task(std::int64_t cols) {
  return std::max<std::int64_t>(1, kElementsPerTask / std::max<std::int64_t>(cols, 1));
}

// Inverted dropout of one element: kept with probability 1 - p (uniform >= p), then scaled.
inline float drop(float x, float p, float keep_scale, std::uint64_t seed, std::uint64_t counter) {
  return uniform01(seed, counter) >= p ? x * keep_scale : 0.0f;
}

}  // namespace

// Z (m x k) += bias (broadcast over rows); H (m x k) = g(Z).
void bias_activation_forward(MatrixView<float> z, const float* bias, Activation g, MatrixView<float> h) {
  detail::require_matrix(z, "Z");
  detail::require_matrix(h, "H");
  detail::require_same_shape(z, h, "Z", "H");
  if (z.rows == 0 || z.cols == 0) return;
  KERNELS_REQUIRE(h.data != z.data || g == Activation::Identity,
                  "H may alias Z only for the identity activation: Z must keep the pre-activation");
  detail::with_activation(g, [&](auto act) {
#pragma omp parallel for schedule(dynamic, rows_per_task(z.cols)) if (z.rows * z.cols > kParallelThreshold)
    for (std::int64_t i = 0; i < z.rows; ++i) {
      float* z_row = z.row(i);
      float* h_row = h.row(i);
      for (std::int64_t j = 0; j < z.cols; ++j) {
        const float pre = z_row[j] + (bias != nullptr ? bias[j] : 0.0f);
        z_row[j] = pre;
        h_row[j] = activate(act, pre);
      }
    }
  });
}

// dZ (m x k) = dH .* g'(Z).
void activation_backward(MatrixView<const float> z, MatrixView<const float> dh, Activation g, MatrixView<float> dz) {
  detail::require_matrix(z, "Z");
  detail::require_matrix(dh, "dH");
  detail::require_matrix(dz, "dZ");
  detail::require_same_shape(z, dh, "Z", "dH");
  detail::require_same_shape(z, dz, "Z", "dZ");
  if (z.rows == 0 || z.cols == 0) return;
  detail::with_activation(g, [&](auto act) {
#pragma omp parallel for schedule(dynamic, rows_per_task(z.cols)) if (z.rows * z.cols > kParallelThreshold)
    for (std::int64_t i = 0; i < z.rows; ++i) {
      const float* z_row = z.row(i);
      const float* dh_row = dh.row(i);
      float* dz_row = dz.row(i);
      for (std::int64_t j = 0; j < z.cols; ++j) dz_row[j] = dh_row[j] * activate_derivative(act, z_row[j]);
    }
  });
}

// out(i, j) = uniform01(seed, i * cols + j) >= p ? in(i, j) / (1 - p) : 0.
void dropout(MatrixView<const float> in, MatrixView<float> out, float p, std::uint64_t seed) {
  detail::require_matrix(in, "in");
  detail::require_matrix(out, "out");
  detail::require_same_shape(in, out, "in", "out");
  detail::require_dropout_rate(p);
  if (in.rows == 0 || in.cols == 0) return;
  const float keep_scale = 1.0f / (1.0f - p);
#pragma omp parallel for schedule(dynamic, rows_per_task(in.cols)) if (in.rows * in.cols > kParallelThreshold)
  for (std::int64_t i = 0; i < in.rows; ++i) {
    const float* in_row = in.row(i);
    float* out_row = out.row(i);
    const auto first = static_cast<std::uint64_t>(i * in.cols);
    for (std::int64_t j = 0; j < in.cols; ++j) out_row[j] = drop(in_row[j], p, keep_scale, seed, first + j);
  }
}

// out[i] = uniform01(seed, i) >= p ? in[i] / (1 - p) : 0.
void dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed) {
  detail::require_array(in, n, "in");
  detail::require_array(out, n, "out");
  detail::require_dropout_rate(p);
  const float keep_scale = 1.0f / (1.0f - p);
#pragma omp parallel for schedule(dynamic, kElementsPerTask) if (n > kParallelThreshold)
  for (std::int64_t i = 0; i < n; ++i) out[i] = drop(in[i], p, keep_scale, seed, static_cast<std::uint64_t>(i));
}

void fill(float* x, std::int64_t n, float value) {
  detail::require_array(x, n, "x");
#pragma omp parallel for simd schedule(dynamic, kElementsPerTask) if (n > kParallelThreshold)
  for (std::int64_t i = 0; i < n; ++i) x[i] = value;
}

void scale(float* x, std::int64_t n, float alpha) {
  detail::require_array(x, n, "x");
#pragma omp parallel for simd schedule(dynamic, kElementsPerTask) if (n > kParallelThreshold)
  for (std::int64_t i = 0; i < n; ++i) x[i] *= alpha;
}

// y += alpha * x. x == y is allowed (y doubles as 1 + alpha).
void axpy(float alpha, const float* x, float* y, std::int64_t n) {
  detail::require_array(x, n, "x");
  detail::require_array(y, n, "y");
#pragma omp parallel for simd schedule(dynamic, kElementsPerTask) if (n > kParallelThreshold)
  for (std::int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

}  // namespace kernels::cpu
