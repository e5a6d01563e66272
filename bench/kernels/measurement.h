// One row of bench_kernels' results, and how the rates in it are derived from a timing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ops.h"
#include "reference.h"

namespace bench {

struct Measurement {
  std::string problem;             // "ml-1m", ...
  ProblemSize size;
  std::string op;                  // op_name()
  std::string implementation;      // "cpu", "ours", "cusparse-alg2", "cublas-tf32", ...
  std::string device;              // "cpu" or "cuda"
  double ms = 0.0;                 // median
  double ms_min = 0.0;
  int repeats = 0;
  double gflops = 0.0;             // NaN for memory-bound ops
  double gbytes_per_s = 0.0;       // OpCost::bytes / time
  double copy_fraction = 0.0;      // GB/s over the measured device copy bandwidth; NaN on CPU
  CheckResult check;
  std::string note;                // e.g. "extrapolated from 1024 rows"
};

// Fills ms, ms_min, repeats and the rates from per-call times (ms) and the op's cost; `scale`
// multiplies the measured time (a dense GEMM timed on a row block and extrapolated to all rows).
Measurement make_measurement(const std::string& problem, const ProblemSize& size, Op op, const std::string& impl,
                             const std::string& device, const std::vector<double>& times_ms, CheckResult check,
                             double copy_gbytes_per_s, double scale = 1.0);

}  // namespace bench
