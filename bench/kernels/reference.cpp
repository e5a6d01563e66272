#include "reference.h"

#include <algorithm>
#include <cmath>

namespace bench {
namespace {

constexpr int kSampledRows = 48;

// Accumulates the worst error/bound ratio.
struct Worst {
  CheckResult result;
  void add(double got, double reference, double magnitude, Tolerance tol) {
    const double bound = tol.absolute + tol.relative * magnitude;
    const double ratio = std::isfinite(got) ? std::abs(got - reference) / bound : INFINITY;
    result.worst = std::max(result.worst, ratio);
    ++result.checked;
  }
};

// sum over the nonzeros p of the given range of value_p * B(index_p, col), with sum |terms|.
struct DotSum {
  double sum = 0.0, magnitude = 0.0;
  void add(double x, double y) {
    sum += x * y;
    magnitude += std::abs(x * y);
  }
};

}  // namespace

std::vector<std::int64_t> sample_rows(std::int64_t rows, int count, const std::vector<kernels::offset_t>* offsets) {
  std::vector<std::int64_t> sample;
  const std::int64_t step = std::max<std::int64_t>(1, rows / count);
  for (std::int64_t i = step / 2; i < rows; i += step) sample.push_back(i);
  if (offsets != nullptr && rows > 0) {
    std::int64_t longest = 0;
    for (std::int64_t i = 0; i < rows; ++i) {
      if ((*offsets)[i + 1] - (*offsets)[i] > (*offsets)[longest + 1] - (*offsets)[longest]) longest = i;
    }
    sample.push_back(longest);  // the row that load balancing has to split
  }
  return sample;
}

CheckResult check_spmm(const HostSparse& a, ConstMatrix b, ConstMatrix c, Tolerance tol, std::int64_t first_row) {
  Worst worst;
  for (const std::int64_t r : sample_rows(c.rows, kSampledRows, nullptr)) {
    const std::int64_t i = first_row + r;
    for (std::int64_t col = 0; col < c.cols; ++col) {
      DotSum dot;
      for (kernels::offset_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p) dot.add(a.values[p], b(a.indices[p], col));
      worst.add(c(r, col), dot.sum, dot.magnitude, tol);
    }
  }
  return worst.result;
}

CheckResult check_spmm_transposed(const HostSparse& a, ConstMatrix b, ConstMatrix c, Tolerance tol) {
  Worst worst;
  for (const std::int64_t j : sample_rows(a.cols, kSampledRows, &a.csc_offsets)) {
    for (std::int64_t col = 0; col < c.cols; ++col) {
      DotSum dot;
      for (kernels::offset_t q = a.csc_offsets[j]; q < a.csc_offsets[j + 1]; ++q) {
        dot.add(a.values[a.csc_positions[q]], b(a.csc_rows[q], col));
      }
      worst.add(c(j, col), dot.sum, dot.magnitude, tol);
    }
  }
  return worst.result;
}

CheckResult check_sddmm(const HostSparse& a, ConstMatrix lhs, ConstMatrix rhs, const float* out, Tolerance tol) {
  Worst worst;
  for (const std::int64_t i : sample_rows(a.rows, kSampledRows, &a.offsets)) {
    for (kernels::offset_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p) {
      DotSum dot;
      for (std::int64_t t = 0; t < lhs.cols; ++t) dot.add(lhs(i, t), rhs(a.indices[p], t));
      worst.add(out[p], dot.sum, dot.magnitude, tol);
    }
  }
  return worst.result;
}

CheckResult check_sddmm_squared_error(const HostSparse& a, ConstMatrix h, ConstMatrix w, const float* bias,
                                      const float* errors, double loss, Tolerance tol) {
  Worst worst;
  for (const std::int64_t i : sample_rows(a.rows, kSampledRows, &a.offsets)) {
    for (kernels::offset_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p) {
      DotSum dot;
      for (std::int64_t t = 0; t < h.cols; ++t) dot.add(h(i, t), w(a.indices[p], t));
      const double bias_j = bias[a.indices[p]], rating = a.values[p];
      worst.add(errors[p], dot.sum + bias_j - rating, dot.magnitude + std::abs(bias_j) + std::abs(rating), tol);
    }
  }
  double sum_squared = 0.0;
  for (std::int64_t p = 0; p < a.nnz(); ++p) sum_squared += static_cast<double>(errors[p]) * errors[p];
  worst.add(loss, sum_squared, sum_squared, tol);
  return worst.result;
}

CheckResult check_bias_sigmoid(ConstMatrix z_before, const float* bias, ConstMatrix h, Tolerance tol) {
  Worst worst;
  for (const std::int64_t i : sample_rows(h.rows, kSampledRows, nullptr)) {
    for (std::int64_t t = 0; t < h.cols; ++t) {
      const double z = static_cast<double>(z_before(i, t)) + bias[t];
      worst.add(h(i, t), 1.0 / (1.0 + std::exp(-z)), 1.0, tol);
    }
  }
  return worst.result;
}

CheckResult check_column_sums(ConstMatrix a, const float* sums, Tolerance tol) {
  Worst worst;
  for (std::int64_t t = 0; t < a.cols; ++t) {
    DotSum dot;
    for (std::int64_t i = 0; i < a.rows; ++i) dot.add(a(i, t), 1.0);
    worst.add(sums[t], dot.sum, dot.magnitude, tol);
  }
  return worst.result;
}

CheckResult check_adam(const AdamState& before, const AdamState& after, const kernels::AdamParams& p, Tolerance tol) {
  Worst worst;
  const double correction1 = 1.0 - std::pow(p.beta1, static_cast<double>(p.step));
  const double correction2 = 1.0 - std::pow(p.beta2, static_cast<double>(p.step));
  const auto n = static_cast<std::int64_t>(before.params.size());
  for (const std::int64_t i : sample_rows(n, 4 * kSampledRows, nullptr)) {
    const double g = before.grads[i] + static_cast<double>(p.weight_decay) * before.params[i];  // coupled L2
    const double m = p.beta1 * before.m[i] + (1.0 - p.beta1) * g;
    const double v = p.beta2 * before.v[i] + (1.0 - p.beta2) * g * g;
    const double step = p.learning_rate * (m / correction1) / (std::sqrt(v / correction2) + p.epsilon);
    worst.add(after.m[i], m, std::abs(m), tol);
    worst.add(after.v[i], v, std::abs(v), tol);
    worst.add(after.params[i], before.params[i] - step, std::abs(before.params[i]) + std::abs(step), tol);
  }
  return worst.result;
}

}  // namespace bench
