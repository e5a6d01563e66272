#include "cuda_support.h"

#include "timing.h"

namespace bench {

bool gpu_available(std::string* why) {
  int driver = 0;
  if (cudaDriverGetVersion(&driver) != cudaSuccess || driver == 0) {
    *why = "no CUDA driver";
    return false;
  }
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess || count < 1) {
    *why = "no CUDA device";
    return false;
  }
  if (cudaFree(nullptr) != cudaSuccess) {  // creates the context
    *why = "cannot create a CUDA context";
    return false;
  }
  return true;
}

std::string gpu_name() {
  cudaDeviceProp props{};
  KERNELS_CUDA_CHECK(cudaGetDeviceProperties(&props, 0));
  int driver = 0, runtime = 0;
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  return std::string(props.name) + " (" + std::to_string(props.totalGlobalMem >> 30) + " GiB, sm_" +
         std::to_string(props.major) + std::to_string(props.minor) + ", driver " + std::to_string(driver) +
         ", runtime " + std::to_string(runtime) + ")";
}

std::vector<double> time_device_ms(cudaStream_t stream, int warmup, int repeats, const std::function<void(int)>& fn) {
  int call = 0;
  for (int i = 0; i < warmup; ++i) fn(call++);
  std::vector<cudaEvent_t> events(2 * static_cast<std::size_t>(repeats));
  for (auto& e : events) KERNELS_CUDA_CHECK(cudaEventCreate(&e));
  for (int i = 0; i < repeats; ++i) {
    KERNELS_CUDA_CHECK(cudaEventRecord(events[2 * i], stream));
    fn(call++);
    KERNELS_CUDA_CHECK(cudaEventRecord(events[2 * i + 1], stream));
  }
  KERNELS_CUDA_CHECK(cudaStreamSynchronize(stream));
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    float elapsed = 0.0f;
    KERNELS_CUDA_CHECK(cudaEventElapsedTime(&elapsed, events[2 * i], events[2 * i + 1]));
    ms.push_back(elapsed);
  }
  for (auto& e : events) cudaEventDestroy(e);
  return ms;
}

double device_copy_gbytes_per_s(cudaStream_t stream, std::size_t bytes) {
  DeviceArray<char> source(bytes), target(bytes);
  KERNELS_CUDA_CHECK(cudaMemsetAsync(source.data(), 1, bytes, stream));
  const std::vector<double> ms = time_device_ms(stream, 2, 7, [&](int) {
    KERNELS_CUDA_CHECK(cudaMemcpyAsync(target.data(), source.data(), bytes, cudaMemcpyDeviceToDevice, stream));
  });
  return 2.0 * static_cast<double>(bytes) / (median(ms) * 1e-3) * 1e-9;
}

}  // namespace bench
