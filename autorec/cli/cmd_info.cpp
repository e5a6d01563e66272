// autorec info: what this build can run on: devices and backends, OpenMP threads, compiler and the
// CUDA architectures it was configured for.
#include <omp.h>

#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "engine/device.h"
#include "autorec/json_writer.h"

namespace autorec::cli {
namespace {

// Passed in by autorec/cli/CMakeLists.txt.
#ifndef AUTOREC_CUDA_BUILT
#define AUTOREC_CUDA_BUILT 0
#endif
#ifndef AUTOREC_CUDA_ARCHITECTURES_TEXT
#define AUTOREC_CUDA_ARCHITECTURES_TEXT ""
#endif
#ifndef AUTOREC_VERSION_TEXT
#define AUTOREC_VERSION_TEXT "unknown"
#endif

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

// The wait policy OpenMP runs with: the user's OMP_WAIT_POLICY / GOMP_SPINCOUNT, or the engine's
// default (PASSIVE, engine/src/omp_wait_policy.cpp), which is in the environment by the time main runs.
std::string wait_policy() {
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  const char* spin = std::getenv("GOMP_SPINCOUNT");
  if (policy == nullptr && spin != nullptr) return std::string("GOMP_SPINCOUNT=") + spin;
  return policy == nullptr ? "libgomp default" : policy;
}

}  // namespace

int run_info(const Options& options) {
  std::string cuda_reason;
  const bool cuda = engine::cuda_available(&cuda_reason);
  const std::string cpu = engine::device_description(engine::Device::cpu());
  const std::string gpu = cuda ? engine::device_description(engine::Device::cuda()) : "";
  if (options.flag("json")) {
    JsonWriter json;
    json.begin_object().field("command", "info").field("version", AUTOREC_VERSION_TEXT).field("cpu_backend", cpu);
    json.field("cuda_built", AUTOREC_CUDA_BUILT != 0).field("cuda_available", cuda);
    json.field(cuda ? "cuda_backend" : "cuda_unavailable_reason", cuda ? gpu : cuda_reason);
    json.field("cuda_architectures", AUTOREC_CUDA_ARCHITECTURES_TEXT).field("openmp_threads", omp_get_max_threads());
    json.field("openmp_wait_policy", wait_policy()).field("default_device", cuda ? "cuda" : "cpu");
    json.field("compiler", compiler()).field("cplusplus", static_cast<std::int64_t>(__cplusplus));
    std::cout << json.end_object().str() << "\n";
    return 0;
  }
  std::cout << "autorec " << AUTOREC_VERSION_TEXT << "\n"
            << "cpu backend:   " << cpu << "\n"
            << "cuda backend:  " << (cuda ? gpu : "not available: " + cuda_reason) << "\n"
            << "cuda built:    " << (AUTOREC_CUDA_BUILT ? "yes" : "no") << ", architectures "
            << (AUTOREC_CUDA_BUILT ? AUTOREC_CUDA_ARCHITECTURES_TEXT : "(none)") << "\n"
            << "openmp:        " << omp_get_max_threads() << " threads (set with --threads or OMP_NUM_THREADS), wait "
            << "policy " << wait_policy() << "\n"
            << "compiler:      " << compiler() << ", C++ " << __cplusplus << "\n"
            << "default device for --device auto: " << (cuda ? "cuda" : "cpu") << "\n";
  return 0;
}

}  // namespace autorec::cli
