// Finding a usable CUDA device, creating its backend, and the device-level controls of engine/cuda.h.
#include <cstdio>

#include "cuda_backend.h"
#include "engine/internal/backend.h"
#include "engine/error.h"

namespace engine::detail {
namespace {

std::string runtime_error_text(const char* call, cudaError_t status) {
  return std::string(call) + " failed: " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")";
}

#if defined(KERNELS_SIMT)
constexpr const char* kFlavour = " (SIMT emulation)";
#else
constexpr const char* kFlavour = "";
#endif

CudaBackend& cuda_backend(int ordinal) {
  // backend_for() only creates CudaBackends for CUDA devices in this build.
  return static_cast<CudaBackend&>(backend_for(Device::cuda(ordinal)));
}

}  // namespace

bool probe_cuda(std::string& reason) {
  // Each step below fails cleanly without a driver (nothing crashes); the first failure is the reason.
  int driver_version = 0;
  const cudaError_t driver_status = cudaDriverGetVersion(&driver_version);
  if (driver_status != cudaSuccess || driver_version <= 0) {
    static_cast<void>(cudaGetLastError());
    reason = "no CUDA driver (cudaDriverGetVersion reports " + std::to_string(driver_version) + ")";
    return false;
  }
  int count = 0;
  const cudaError_t count_status = cudaGetDeviceCount(&count);
  if (count_status != cudaSuccess || count < 1) {
    static_cast<void>(cudaGetLastError());
    reason = count_status != cudaSuccess ? runtime_error_text("cudaGetDeviceCount", count_status)
                                         : std::string("the driver reports no CUDA device");
    return false;
  }
  // cudaFree(nullptr) is the conventional way to force context creation on the current device.
  const cudaError_t context_status = cudaFree(nullptr);
  if (context_status != cudaSuccess) {
    static_cast<void>(cudaGetLastError());
    reason = "cannot create a CUDA context: " + runtime_error_text("cudaFree(0)", context_status);
    return false;
  }
  reason.clear();
  return true;
}

std::string describe_cuda_device(int ordinal) {
  cudaDeviceProp properties{};
  KERNELS_CUDA_CHECK(cudaGetDeviceProperties(&properties, ordinal));
  char resources[160];
  std::snprintf(resources, sizeof resources, ", sm_%d%d, %d SMs, %.1f GiB)%s", properties.major, properties.minor,
                properties.multiProcessorCount, static_cast<double>(properties.totalGlobalMem) / (1 << 30),
                kFlavour);
  return "cuda:" + std::to_string(ordinal) + " (" + properties.name + resources;
}

std::unique_ptr<Backend> make_cuda_backend(int ordinal) {
  std::string reason;
  if (!probe_cuda(reason)) throw Error("cuda:" + std::to_string(ordinal) + " is not available: " + reason);
  int count = 0;
  KERNELS_CUDA_CHECK(cudaGetDeviceCount(&count));
  ENGINE_CHECK(ordinal >= 0 && ordinal < count, "cuda:", ordinal, " does not exist (this machine has ", count,
               count == 1 ? " CUDA device)" : " CUDA devices)");
  return std::make_unique<CudaBackend>(ordinal);
}

}  // namespace engine::detail

namespace engine {

CudaMemoryStats cuda_memory_stats(int ordinal) { return detail::cuda_backend(ordinal).allocator_stats(); }

void cuda_release_cached_memory(int ordinal) { detail::cuda_backend(ordinal).release_cached_memory(); }

}  // namespace engine
