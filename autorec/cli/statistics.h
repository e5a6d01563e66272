// Summary of repeated runs: mean and the half-width of the 95% confidence interval of the mean,
// from the t distribution with n - 1 degrees of freedom (the paper reports RMSE ± 0.003 this way).
#pragma once

#include <vector>

namespace autorec::cli {

struct MeanInterval {
  double mean = 0.0;
  double ci95 = 0.0;    // half-width; 0 for a single value
  double stddev = 0.0;  // sample standard deviation (n - 1)
};

MeanInterval mean_ci95(const std::vector<double>& values);
// The 0.975 quantile of Student's t with `degrees` degrees of freedom (>= 1).
double t_quantile_975(int degrees);

}  // namespace autorec::cli
