// bench_kernels on a GPU: our CUDA kernels (kernels::cuda) and the vendor baselines (kernels::vendor:
// cuSPARSE SpMM ALG2/ALG3 and SDDMM, cuBLAS FP32/TF32 GEMM) on the same device operands, each result
// checked against the double reference before it is timed with events.
#pragma once

#include <memory>
#include <vector>

#include "measurement.h"
#include "operands.h"

namespace bench {

struct CudaState;  // stream, handles, the pattern on the device (cuda_bench_internal.h)

class CudaBench {
 public:
  CudaBench();  // creates a stream and the vendor handles, measures the device copy bandwidth
  ~CudaBench();
  CudaBench(const CudaBench&) = delete;
  CudaBench& operator=(const CudaBench&) = delete;

  // Uploads a problem's pattern (kept until the next call) and densifies its first rows for the GEMM.
  void load_pattern(const HostSparse& a, std::int64_t gemm_rows);
  std::vector<Measurement> run(const HostOperands& operands, const RunSettings& settings);
  double copy_gbytes_per_s() const;

 private:
  std::unique_ptr<CudaState> state_;
};

}  // namespace bench
