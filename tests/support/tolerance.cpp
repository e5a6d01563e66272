#include "testsupport/tolerance.h"

#include <cmath>
#include <sstream>

namespace testsupport {
namespace {

constexpr double kUnitRoundoff = 0x1p-24;  // fp32 unit roundoff

// Compares n elements; `where(i)` names element i in the report.
template <class Actual, class Where>
CloseReport compare(std::int64_t n, Actual&& actual, const std::vector<double>& expected, Tolerance tol,
                    Where&& where) {
  std::int64_t failures = 0;
  std::int64_t worst = -1;
  double worst_excess = 0.0;  // error / allowed, the worst one
  for (std::int64_t i = 0; i < n; ++i) {
    const double a = actual(i);
    const double e = expected[static_cast<std::size_t>(i)];
    const double allowed = tol.abs + tol.rel * std::fabs(e);
    const double error = std::fabs(a - e);
    if (error <= allowed) continue;  // false for NaN: NaN always fails
    ++failures;
    const double excess = std::isnan(error) ? INFINITY : error / (allowed > 0.0 ? allowed : 1e-300);
    if (worst < 0 || excess > worst_excess) {
      worst = i;
      worst_excess = excess;
    }
  }
  CloseReport report;
  if (failures == 0) return report;
  std::ostringstream out;
  out.precision(9);
  const double a = actual(worst);
  const double e = expected[static_cast<std::size_t>(worst)];
  out << failures << " of " << n << " elements differ; worst at " << where(worst) << ": actual " << a << ", expected "
      << e << ", error " << std::fabs(a - e) << " > allowed " << tol.abs + tol.rel * std::fabs(e) << " (abs " << tol.abs
      << ", rel " << tol.rel << ")";
  report.ok = false;
  report.message = out.str();
  return report;
}

CloseReport length_mismatch(std::int64_t actual, std::size_t expected) {
  return {false, "length mismatch: actual " + std::to_string(actual) + ", expected " + std::to_string(expected)};
}

}  // namespace

Tolerance fp32_sum_tolerance(std::int64_t terms, double magnitude) {
  const auto t = static_cast<double>(terms < 0 ? 0 : terms);
  return {4.0 * kUnitRoundoff * (t + 1.0) * magnitude, 4.0 * kUnitRoundoff * (std::sqrt(t) + 1.0)};
}

Tolerance fp32_elementwise_tolerance(double abs) { return {abs, 8.0 * kUnitRoundoff}; }

CloseReport check_close(const float* actual, const std::vector<double>& expected, Tolerance tol) {
  return compare(
      static_cast<std::int64_t>(expected.size()), [actual](std::int64_t i) { return actual[i]; }, expected, tol,
      [](std::int64_t i) { return "index " + std::to_string(i); });
}

CloseReport check_close(const std::vector<float>& actual, const std::vector<double>& expected, Tolerance tol) {
  if (actual.size() != expected.size())
    return length_mismatch(static_cast<std::int64_t>(actual.size()), expected.size());
  return check_close(actual.data(), expected, tol);
}

CloseReport check_close(kernels::MatrixView<const float> actual, const std::vector<double>& expected, Tolerance tol) {
  if (actual.rows * actual.cols != static_cast<std::int64_t>(expected.size()))
    return length_mismatch(actual.rows * actual.cols, expected.size());
  const std::int64_t cols = actual.cols;
  return compare(
      actual.rows * cols, [&](std::int64_t i) { return actual(i / cols, i % cols); }, expected, tol,
      [cols](std::int64_t i) { return "(" + std::to_string(i / cols) + ", " + std::to_string(i % cols) + ")"; });
}

}  // namespace testsupport
