#include "measurement.h"

#include <algorithm>
#include <cmath>

#include "timing.h"

namespace bench {

Measurement make_measurement(const std::string& problem, const ProblemSize& size, Op op, const std::string& impl,
                             const std::string& device, const std::vector<double>& times_ms, CheckResult check,
                             double copy_gbytes_per_s, double scale) {
  Measurement m;
  m.problem = problem;
  m.size = size;
  m.op = op_name(op);
  m.implementation = impl;
  m.device = device;
  m.ms = scale * median(times_ms);
  m.ms_min = times_ms.empty() ? NAN : scale * *std::min_element(times_ms.begin(), times_ms.end());
  m.repeats = static_cast<int>(times_ms.size());
  const OpCost cost = op_cost(op, size);
  const double seconds = m.ms * 1e-3;
  m.gflops = cost.flops > 0 ? cost.flops / seconds * 1e-9 : NAN;
  m.gbytes_per_s = cost.bytes / seconds * 1e-9;
  m.copy_fraction = copy_gbytes_per_s > 0 ? m.gbytes_per_s / copy_gbytes_per_s : NAN;
  m.check = check;
  return m;
}

}  // namespace bench
