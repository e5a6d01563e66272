// References for the sparse kernels: triple loops over the CSR form, accumulating in double.
#include <cstddef>

#include "reference_common.h"
#include "testsupport/reference.h"

namespace testsupport {
namespace {

using detail::blend;

// out (rows x cols) = alpha * acc + beta * c_in.
std::vector<double> blend_matrix(const std::vector<double>& acc, std::int64_t rows, std::int64_t cols, ConstView c_in,
                                 float alpha, float beta) {
  std::vector<double> out(acc.size());
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) {
      const std::size_t e = static_cast<std::size_t>(i * cols + j);
      out[e] = blend(acc[e], alpha, beta, beta == 0.0f ? 0.0 : c_in(i, j));
    }
  return out;
}

double dot(ConstView a, std::int64_t i, ConstView b, std::int64_t j) {
  double sum = 0.0;
  for (std::int64_t l = 0; l < a.cols; ++l) sum += static_cast<double>(a(i, l)) * b(j, l);
  return sum;
}

}  // namespace

std::vector<double> spmm_reference(const CsrPattern& a, const float* a_values, ConstView b, ConstView c_in, float alpha,
                                   float beta) {
  const std::int64_t k = b.cols;
  std::vector<double> acc(static_cast<std::size_t>(a.rows * k), 0.0);
  for (std::int64_t i = 0; i < a.rows; ++i)
    for (kernels::offset_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p)
      for (std::int64_t j = 0; j < k; ++j)
        acc[static_cast<std::size_t>(i * k + j)] += static_cast<double>(a_values[p]) * b(a.indices[p], j);
  return blend_matrix(acc, a.rows, k, c_in, alpha, beta);
}

std::vector<double> spmm_transposed_reference(const CsrPattern& a, const float* a_values, ConstView b, ConstView c_in,
                                              float alpha, float beta) {
  const std::int64_t k = b.cols;
  std::vector<double> acc(static_cast<std::size_t>(a.cols * k), 0.0);
  // Scatter: nonzero (i, col) adds its value times B row i to output row col.
  for (std::int64_t i = 0; i < a.rows; ++i)
    for (kernels::offset_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p)
      for (std::int64_t j = 0; j < k; ++j)
        acc[static_cast<std::size_t>(a.indices[p] * k + j)] += static_cast<double>(a_values[p]) * b(i, j);
  return blend_matrix(acc, a.cols, k, c_in, alpha, beta);
}

std::vector<double> sddmm_reference(const CsrPattern& pattern, ConstView a, ConstView b) {
  std::vector<double> out(static_cast<std::size_t>(pattern.nnz));
  for (std::int64_t i = 0; i < pattern.rows; ++i)
    for (kernels::offset_t p = pattern.offsets[i]; p < pattern.offsets[i + 1]; ++p)
      out[static_cast<std::size_t>(p)] = dot(a, i, b, pattern.indices[p]);
  return out;
}

OutputLayerReference sddmm_squared_error_reference(const CsrPattern& pattern, ConstView h, ConstView w,
                                                   const float* bias, const float* ratings, Activation f) {
  OutputLayerReference ref;
  ref.errors.resize(static_cast<std::size_t>(pattern.nnz));
  ref.predictions.resize(static_cast<std::size_t>(pattern.nnz));
  for (std::int64_t i = 0; i < pattern.rows; ++i)
    for (kernels::offset_t p = pattern.offsets[i]; p < pattern.offsets[i + 1]; ++p) {
      const kernels::index_t j = pattern.indices[p];
      const double o = dot(h, i, w, j) + (bias != nullptr ? bias[j] : 0.0);
      const double y = activation_reference(f, o);
      const double diff = y - ratings[p];
      ref.errors[static_cast<std::size_t>(p)] = diff * activation_derivative_reference(f, o);
      ref.predictions[static_cast<std::size_t>(p)] = y;
      ref.loss += diff * diff;
    }
  return ref;
}

std::vector<double> sparse_column_sums_reference(const CsrPattern& a, const float* a_values, const float* out_in,
                                                 float alpha, float beta) {
  std::vector<double> sums(static_cast<std::size_t>(a.cols), 0.0);
  for (kernels::offset_t p = 0; p < a.nnz; ++p) sums[static_cast<std::size_t>(a.indices[p])] += a_values[p];
  for (std::int64_t j = 0; j < a.cols; ++j)
    sums[static_cast<std::size_t>(j)] =
        blend(sums[static_cast<std::size_t>(j)], alpha, beta, beta == 0.0f ? 0.0 : out_in[j]);
  return sums;
}

std::vector<double> sparse_row_sums_reference(const CsrPattern& a, const float* a_values, const float* out_in,
                                              float alpha, float beta) {
  std::vector<double> sums(static_cast<std::size_t>(a.rows), 0.0);
  for (std::int64_t i = 0; i < a.rows; ++i) {
    double sum = 0.0;
    for (kernels::offset_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p) sum += a_values[p];
    sums[static_cast<std::size_t>(i)] = blend(sum, alpha, beta, beta == 0.0f ? 0.0 : out_in[i]);
  }
  return sums;
}

}  // namespace testsupport
