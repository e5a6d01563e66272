// References for the dense kernels: bias + activation (the activations' double formulas are in
// kernels/activation.h, beside the float ones), dropout by its formula, reductions and
// the matrix product as plain loops.
#include <cmath>
#include <cstddef>

#include "kernels/random.h"
#include "reference_common.h"
#include "testsupport/reference.h"

namespace testsupport {
namespace {

std::size_t packed(std::int64_t i, std::int64_t j, std::int64_t cols) { return static_cast<std::size_t>(i * cols + j); }

double dropped(double x, float p, std::uint64_t seed, std::uint64_t counter) {
  return kernels::uniform01(seed, counter) >= p ? x * static_cast<double>(1.0f / (1.0f - p)) : 0.0;
}

}  // namespace

BiasActivationReference bias_activation_reference(ConstView z, const float* bias, Activation g) {
  BiasActivationReference ref;
  ref.z.resize(static_cast<std::size_t>(z.rows * z.cols));
  ref.h.resize(ref.z.size());
  for (std::int64_t i = 0; i < z.rows; ++i)
    for (std::int64_t j = 0; j < z.cols; ++j) {
      // The kernel adds the bias in float; the sum of two floats rounded once is the exact reference.
      const double pre = static_cast<float>(z(i, j) + (bias != nullptr ? bias[j] : 0.0f));
      ref.z[packed(i, j, z.cols)] = pre;
      ref.h[packed(i, j, z.cols)] = activation_reference(g, pre);
    }
  return ref;
}

std::vector<double> activation_backward_reference(ConstView z, ConstView dh, Activation g) {
  std::vector<double> dz(static_cast<std::size_t>(z.rows * z.cols));
  for (std::int64_t i = 0; i < z.rows; ++i)
    for (std::int64_t j = 0; j < z.cols; ++j)
      dz[packed(i, j, z.cols)] = dh(i, j) * activation_derivative_reference(g, z(i, j));
  return dz;
}

std::vector<double> dropout_reference(ConstView in, float p, std::uint64_t seed) {
  std::vector<double> out(static_cast<std::size_t>(in.rows * in.cols));
  for (std::int64_t i = 0; i < in.rows; ++i)
    for (std::int64_t j = 0; j < in.cols; ++j)
      out[packed(i, j, in.cols)] = dropped(in(i, j), p, seed, static_cast<std::uint64_t>(i * in.cols + j));
  return out;
}

std::vector<double> dropout_values_reference(const float* in, std::int64_t n, float p, std::uint64_t seed) {
  std::vector<double> out(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    out[static_cast<std::size_t>(i)] = dropped(in[i], p, seed, static_cast<std::uint64_t>(i));
  return out;
}

std::vector<double> column_sums_reference(ConstView a, const float* out_in, float alpha, float beta) {
  std::vector<double> out(static_cast<std::size_t>(a.cols));
  for (std::int64_t j = 0; j < a.cols; ++j) {
    double sum = 0.0;
    for (std::int64_t i = 0; i < a.rows; ++i) sum += a(i, j);
    out[static_cast<std::size_t>(j)] = detail::blend(sum, alpha, beta, beta == 0.0f ? 0.0 : out_in[j]);
  }
  return out;
}

std::vector<double> row_sums_reference(ConstView a, const float* out_in, float alpha, float beta) {
  std::vector<double> out(static_cast<std::size_t>(a.rows));
  for (std::int64_t i = 0; i < a.rows; ++i) {
    double sum = 0.0;
    for (std::int64_t j = 0; j < a.cols; ++j) sum += a(i, j);
    out[static_cast<std::size_t>(i)] = detail::blend(sum, alpha, beta, beta == 0.0f ? 0.0 : out_in[i]);
  }
  return out;
}

double sum_of_squares_reference(const float* x, std::int64_t n) {
  double sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  return sum;
}

double squared_error_reference(const float* x, const float* y, std::int64_t n) {
  double sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double diff = static_cast<double>(x[i]) - y[i];
    sum += diff * diff;
  }
  return sum;
}

std::vector<double> gemm_reference(bool transpose_a, bool transpose_b, float alpha, ConstView a, ConstView b,
                                   float beta, ConstView c_in) {
  const std::int64_t m = transpose_a ? a.cols : a.rows;
  const std::int64_t depth = transpose_a ? a.rows : a.cols;
  const std::int64_t n = transpose_b ? b.rows : b.cols;
  std::vector<double> c(static_cast<std::size_t>(m * n));
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      double sum = 0.0;
      for (std::int64_t l = 0; l < depth; ++l)
        sum += static_cast<double>(transpose_a ? a(l, i) : a(i, l)) * (transpose_b ? b(j, l) : b(l, j));
      c[packed(i, j, n)] = detail::blend(sum, alpha, beta, beta == 0.0f ? 0.0 : c_in(i, j));
    }
  return c;
}

}  // namespace testsupport
