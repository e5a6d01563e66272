// bench_ops: the op table's quick timing mode. Runs each case of tests/ops/op_cases.cpp on every device
// this build has (the CPU; the CUDA backend when a GPU is present) and prints the median of a few runs
// per op, upload and download included (the cases move their operands each run: a relative measure
// across backends and changes, not a kernel benchmark; bench_kernels is that). Not a test.
//   bench_ops [--repeat N] [--filter SUBSTRING]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/device.h"
#include "op_cases.h"

int main(int argc, char** argv) {
  int repeat = 5;
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--filter" && i + 1 < argc) {
      filter = argv[++i];
    } else {
      std::fprintf(stderr, "usage: bench_ops [--repeat N] [--filter SUBSTRING] (unknown argument '%s')\n", arg.c_str());
      return 2;
    }
  }
  std::vector<engine::Device> devices = {engine::Device::cpu()};
  std::string reason;
  if (engine::cuda_available(&reason)) devices.push_back(engine::Device::cuda());
  else std::printf("# no CUDA device (%s): CPU only\n", reason.c_str());
  std::printf("%-58s %-34s %-6s %10s\n", "op", "shape", "device", "median ms");
  for (const opcases::OpCase& op : opcases::all_cases()) {
    if (!filter.empty() && op.name.find(filter) == std::string::npos) continue;
    const opcases::Inputs inputs = op.make();
    for (const engine::Device device : devices) {
      std::vector<double> ms;
      op.run(inputs, device);  // warm-up (allocator, first launch)
      for (int r = 0; r < repeat; ++r) {
        const auto start = std::chrono::steady_clock::now();
        op.run(inputs, device);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      }
      std::sort(ms.begin(), ms.end());
      std::printf("%-58s %-34s %-6s %10.3f\n", op.name.c_str(), op.shape.c_str(), engine::to_string(device).c_str(),
                  ms[ms.size() / 2]);
    }
  }
  return 0;
}
