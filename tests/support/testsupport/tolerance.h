// Comparing float results with double references: |actual - expected| <= abs + rel * |expected|,
// element by element, reporting the worst offender (index, both values, its error) on failure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/views.h"

namespace testsupport {

struct Tolerance {
  double abs = 0.0;
  double rel = 0.0;
};

// Exact comparison: for integer-valued inputs, whose float sums are exact.
inline constexpr Tolerance kExact{0.0, 0.0};

// For a float result accumulated from `terms` products or addends, each of size up to `magnitude`:
// recursive fp32 summation errs by at most about terms * u * sum|x_i| (u = 2^-24), and in practice
// by a random walk well under that; abs = 4 u (terms + 1) magnitude and rel = 4 u (sqrt(terms) + 1)
// cover that without hiding bugs (a wrong or missing term is an error of order `magnitude`).
Tolerance fp32_sum_tolerance(std::int64_t terms, double magnitude = 1.0);

// For elementwise float math (activations, optimizer steps): a few ulps, plus `abs`.
Tolerance fp32_elementwise_tolerance(double abs = 1e-6);

struct CloseReport {
  bool ok = true;
  std::string message;  // empty when ok; otherwise the worst element and the mismatch count
  explicit operator bool() const { return ok; }
};

// Flat arrays of equal length (a length mismatch is a failure). NaN never compares close.
CloseReport check_close(const float* actual, const std::vector<double>& expected, Tolerance tol);
CloseReport check_close(const std::vector<float>& actual, const std::vector<double>& expected, Tolerance tol);
// A dense matrix against a packed row-major (rows x cols) reference; reports (row, col).
CloseReport check_close(kernels::MatrixView<const float> actual, const std::vector<double>& expected, Tolerance tol);

}  // namespace testsupport
