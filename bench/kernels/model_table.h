// bench_kernels --model h100,a100: the cost model of every timed op (bench/model/kernel_model.h) at the
// run's shapes, printed beside the times measured in the same run. On a GPU the last column is the
// model's error for our kernels (measured / modeled); on the CPU it shows how far the CPU is from them.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "kernel_model.h"
#include "measurement.h"
#include "operands.h"

namespace bench {

struct ModeledOp {
  std::string problem;
  ProblemSize size;
  std::string op;
  std::vector<KernelModel> per_gpu;  // in the order of the GPUs modeled
};

// "h100,a100" -> their specs; throws std::invalid_argument for an unknown name.
std::vector<GpuSpec> gpu_specs(const std::string& names);

// The modeled ops of one problem at width k (the ops the run selects).
std::vector<ModeledOp> model_ops(const std::vector<GpuSpec>& gpus, const std::string& problem, const HostSparse& a,
                                 int k, const RunSettings& settings);

void print_model_table(std::ostream& out, const std::vector<GpuSpec>& gpus, const std::vector<ModeledOp>& modeled,
                       const std::vector<Measurement>& measured);

}  // namespace bench
