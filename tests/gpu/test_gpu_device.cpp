// The real CUDA backend's own properties: it names the GPU, offers the vendor kernels, keeps a
// training-like loop of allocations inside its cache, and reports runtime failures as exceptions.
#include <catch2/catch.hpp>

#include "engine/cuda.h"
#include "engine/device.h"
#include "engine/device_memory.h"
#include "engine/ops.h"
#include "kernels/cuda_platform.h"
#include "twin_devices.h"

using twin::kCuda;

TEST_CASE("the backend names a real GPU and offers the vendor kernels", "[gpu][device]") {
  const std::string description = engine::device_description(kCuda);
  INFO(description);
  CHECK(description.find("cuda:0 (") == 0);
  CHECK(description.find("SIMT") == std::string::npos);
  std::string reason;
  CHECK(engine::vendor_kernels_available(&reason));
  CHECK_NOTHROW(twin::KernelSelection("vendor,alg3,tf32"));
}

TEST_CASE("a loop of same-shaped allocations stops calling cudaMalloc", "[gpu][device]") {
  std::int64_t after_first = 0;
  for (int iteration = 0; iteration < 5; ++iteration) {
    engine::Tensor a = twin::random_tensor(300, 200, 1, kCuda);  // padded ld, 240 KB
    engine::Tensor b = engine::Tensor::zeros(1000, 64, kCuda);
    engine::ops::axpy(1.0f, a, a);
    if (iteration == 0) after_first = engine::cuda_memory_stats().driver_allocations;
  }
  CHECK(engine::cuda_memory_stats().driver_allocations == after_first);
  CHECK(engine::cuda_memory_stats().cache_hits > 0);
}

TEST_CASE("runtime failures surface as exceptions, not crashes", "[gpu][device]") {
  // (Only non-sticky errors: an illegal address would poison the context for every later test.)
  // 1 EiB, after trimming the cache
  CHECK_THROWS_AS(engine::device_memory::allocate(kCuda, std::size_t{1} << 60), kernels::CudaError);
  static_cast<void>(cudaGetLastError());
  const engine::Tensor x = twin::random_tensor(4, 4, 2, kCuda);  // the context still works
  CHECK(x.to_host() == twin::random_values(16, 2));
}
