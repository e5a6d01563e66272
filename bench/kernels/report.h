// bench_kernels' outputs: the markdown table (stdout), the JSON results file and the SVG plots.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "machine.h"
#include "measurement.h"
#include "operands.h"

namespace bench {

struct KernelReport {
  MachineInfo machine;
  std::string run_size;          // "quick", "default", "full"
  RunSettings cpu_settings, cuda_settings;
  double copy_gbytes_per_s = 0;  // measured device copy bandwidth (0 = no GPU run)
  std::vector<Measurement> results;
};

void print_table(std::ostream& out, const KernelReport& report);
void write_json(const std::string& path, const KernelReport& report);
// CPU results: GFLOP/s of the sparse ops per shape; CUDA results: speed-up over the best cuSPARSE
// algorithm per op and shape. Returns the files written.
std::vector<std::string> write_plots(const std::string& directory, const KernelReport& report);

}  // namespace bench
