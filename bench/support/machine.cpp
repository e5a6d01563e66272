#include "machine.h"

#include <omp.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef BENCH_BUILD_TYPE
#define BENCH_BUILD_TYPE "unknown"
#endif

namespace bench {
namespace {

// The value after "key<spaces>:" on the first line of `path` that starts with key, or "".
std::string proc_field(const char* path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "";
}

std::string compiler_name() {
  std::ostringstream out;
#if defined(__clang__)
  out << "Clang " << __clang_major__ << '.' << __clang_minor__ << '.' << __clang_patchlevel__;
#elif defined(__GNUC__)
  out << "GCC " << __GNUC__ << '.' << __GNUC_MINOR__ << '.' << __GNUC_PATCHLEVEL__;
#else
  out << "unknown";
#endif
  return out.str();
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer.data();
}

}  // namespace

MachineInfo describe_machine() {
  MachineInfo machine;
  machine.cpu_model = proc_field("/proc/cpuinfo", "model name");
  machine.logical_cores = static_cast<int>(std::thread::hardware_concurrency());
  machine.openmp_threads = omp_get_max_threads();
  const std::string mem_kib = proc_field("/proc/meminfo", "MemTotal");
  if (!mem_kib.empty()) machine.memory_gib = std::stod(mem_kib) / (1024.0 * 1024.0);
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0) machine.hostname = host.data();
  machine.compiler = compiler_name();
  machine.build_type = BENCH_BUILD_TYPE;
  machine.timestamp = utc_now();
  return machine;
}

Json machine_json(const MachineInfo& machine) {
  return {{"cpu_model", machine.cpu_model},   {"logical_cores", machine.logical_cores},
          {"openmp_threads", machine.openmp_threads}, {"memory_gib", machine.memory_gib},
          {"hostname", machine.hostname},     {"compiler", machine.compiler},
          {"build_type", machine.build_type}, {"timestamp", machine.timestamp},
          {"gpu", machine.gpu}};
}

std::string machine_summary(const MachineInfo& machine) {
  std::ostringstream out;
  out << machine.cpu_model << ", " << machine.logical_cores << " logical cores (" << machine.openmp_threads
      << " OpenMP threads), " << static_cast<int>(machine.memory_gib + 0.5) << " GiB";
  if (!machine.gpu.empty()) out << "; GPU: " << machine.gpu;
  out << "; " << machine.compiler << ' ' << machine.build_type << "; " << machine.timestamp;
  return out.str();
}

}  // namespace bench
