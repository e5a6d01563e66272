#include "gpu_spec.h"

#include <stdexcept>

namespace bench {

GpuSpec gpu_spec(const std::string& name) {
  // Peak numbers from NVIDIA's data sheets; achievable fractions are this model's assumptions
  // (docs/benchmarks.md), to be replaced by the GPU check's measurements.
  if (name == "h100") return {"H100 SXM", 132, 3.0e12, 50e6, 5.5e12, 50e12, 3e-6, 20e9};
  if (name == "a100") return {"A100 SXM 80GB", 108, 1.7e12, 40e6, 4.0e12, 18e12, 3e-6, 12e9};
  throw std::invalid_argument("unknown GPU model '" + name + "' (h100 or a100)");
}

}  // namespace bench
