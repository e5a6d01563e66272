// What the results were measured on, written into every results file: a number without its machine
// is not a result.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace bench {

// Results files keep their keys in the order written (nlohmann-json, Debian's nlohmann-json3-dev).
using Json = nlohmann::ordered_json;

struct MachineInfo {
  std::string cpu_model;     // /proc/cpuinfo "model name"
  int logical_cores = 0;     // std::thread::hardware_concurrency
  int openmp_threads = 0;    // what the CPU kernels will use
  double memory_gib = 0.0;   // /proc/meminfo MemTotal
  std::string hostname;
  std::string compiler;      // e.g. "GCC 12.2.0"
  std::string build_type;    // CMAKE_BUILD_TYPE of this binary
  std::string timestamp;     // UTC, ISO 8601
  std::string gpu;           // filled by the CUDA part when a GPU is used; empty otherwise
};

MachineInfo describe_machine();
Json machine_json(const MachineInfo& machine);
// One line for the top of a markdown report.
std::string machine_summary(const MachineInfo& machine);

}  // namespace bench
