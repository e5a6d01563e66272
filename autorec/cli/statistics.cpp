#include "statistics.h"

#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace autorec::cli {

double t_quantile_975(int degrees) {
  if (degrees < 1) throw std::invalid_argument("t quantile needs at least one degree of freedom");
  // Exact table values for small samples, where the expansion below is least accurate.
  static constexpr std::array<double, 30> kTable = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
      2.120,  2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (degrees <= 30) return kTable[static_cast<std::size_t>(degrees - 1)];
  // Cornish-Fisher expansion around the normal quantile; error < 1e-4 beyond 30 degrees.
  const double z = 1.959963984540054;
  const double n = degrees;
  return z + (z * z * z + z) / (4 * n) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

MeanInterval mean_ci95(const std::vector<double>& values) {
  if (values.empty()) throw std::invalid_argument("mean of no values");
  MeanInterval result;
  const double n = static_cast<double>(values.size());
  result.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (values.size() < 2) return result;
  double squares = 0.0;
  for (const double v : values) squares += (v - result.mean) * (v - result.mean);
  result.stddev = std::sqrt(squares / (n - 1));
  result.ci95 = t_quantile_975(static_cast<int>(values.size()) - 1) * result.stddev / std::sqrt(n);
  return result;
}

}  // namespace autorec::cli
