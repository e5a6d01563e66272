// The GPUs the cost models describe: their SM count, bandwidths, cache and launch cost.
#pragma once

#include <string>

namespace bench {

struct GpuSpec {
  std::string name;
  int sms = 0;
  double dram_bytes_per_second = 0.0;  // achievable device-memory bandwidth
  double l2_bytes = 0.0;
  double l2_bytes_per_second = 0.0;
  double sgemm_flops_per_second = 0.0;  // cuBLAS FP32 GEMM at large sizes (PyTorch's default: no TF32)
  double launch_seconds = 0.0;          // per kernel launch, back to back on one stream
  double pcie_bytes_per_second = 0.0;   // host to device, pageable synchronous copies
};
// "h100" (H100 SXM 80 GB) or "a100" (A100 SXM 80 GB); throws std::invalid_argument otherwise.
GpuSpec gpu_spec(const std::string& name);

}  // namespace bench
