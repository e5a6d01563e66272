// The launch helper (kernels::cuda::launch, blocks_for, KERNELS_CUDA_CHECK) and the emulator's launch
// configuration checks, which must surface as the real CUDA error codes.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "device_buffer.h"
#include "kernels/cuda_launch.cuh"
#include "test_kernels.h"

namespace {

using simt_test::DeviceBuffer;

void noop_kernel(int* flag) { *flag = 1; }

cudaError_t emulator_launch(dim3 grid, dim3 block, std::size_t shared_bytes, int* flag) {
  return simt::launch(grid, block, shared_bytes, nullptr, noop_kernel, flag);
}

}  // namespace

TEST_CASE("blocks_for is a checked ceil-div", "[simt][launch]") {
  CHECK(kernels::cuda::blocks_for(0, 256) == 0U);
  CHECK(kernels::cuda::blocks_for(1, 256) == 1U);
  CHECK(kernels::cuda::blocks_for(256, 256) == 1U);
  CHECK(kernels::cuda::blocks_for(257, 256) == 2U);
  CHECK(kernels::cuda::blocks_for(std::int64_t{2147483647} * 1024, 1024) == 2147483647U);
  CHECK_THROWS_AS(kernels::cuda::blocks_for(std::int64_t{2147483647} * 1024 + 1, 1024), kernels::Error);
  CHECK_THROWS_AS(kernels::cuda::blocks_for(INT64_MAX, 1), kernels::Error);
  CHECK_THROWS_AS(kernels::cuda::blocks_for(-1, 256), kernels::Error);
  CHECK_THROWS_AS(kernels::cuda::blocks_for(10, 0), kernels::Error);
  CHECK_THROWS_AS(kernels::cuda::blocks_for(10, 1025), kernels::Error);
}

TEST_CASE("the launch helper skips empty launches and rejects oversized blocks", "[simt][launch]") {
  DeviceBuffer<int> flag(1);
  simt_test::configured_noop(dim3(0), dim3(32), 0, flag.get());
  simt_test::configured_noop(dim3(4), dim3(32, 0), 0, flag.get());
  CHECK(flag.download()[0] == 0);
  CHECK_THROWS_AS(simt_test::configured_noop(dim3(1), dim3(1025), 0, flag.get()), kernels::Error);
  CHECK_THROWS_AS(simt_test::configured_noop(dim3(1), dim3(64, 32), 0, flag.get()), kernels::Error);
  simt_test::configured_noop(dim3(1), dim3(32, 32), 0, flag.get());
  CHECK(flag.download()[0] == 1);
}

TEST_CASE("launch configuration errors surface as CUDA error codes", "[simt][launch]") {
  DeviceBuffer<int> flag(1);
  struct BadLaunch {
    dim3 grid;
    dim3 block;
    std::size_t shared_bytes;
    cudaError_t expected;
    const char* what;
  };
  const BadLaunch launches[] = {
      {dim3(1), dim3(2048), 0, cudaErrorInvalidConfiguration, "block over 1024 threads"},
      {dim3(1), dim3(1, 1, 65), 0, cudaErrorInvalidConfiguration, "block.z over 64"},
      {dim3(1, 65536), dim3(32), 0, cudaErrorInvalidConfiguration, "grid.y over 65535"},
      {dim3(1, 1, 65536), dim3(32), 0, cudaErrorInvalidConfiguration, "grid.z over 65535"},
      {dim3(0), dim3(32), 0, cudaErrorInvalidConfiguration, "empty grid (the helper skips it)"},
      {dim3(1), dim3(32), 48 * 1024 + 1, cudaErrorInvalidValue, "dynamic shared memory over 48 KiB"},
  };
  for (const BadLaunch& launch : launches) {
    INFO(launch.what);
    CHECK(emulator_launch(launch.grid, launch.block, launch.shared_bytes, flag.get()) == launch.expected);
    CHECK(cudaPeekAtLastError() == launch.expected);
    CHECK(cudaGetLastError() == launch.expected);
    CHECK(cudaGetLastError() == cudaSuccess);  // reading it clears it
  }
  CHECK(flag.download()[0] == 0);

  // Through the helper the same error becomes kernels::CudaError with the code and a readable message.
  try {
    simt_test::configured_noop(dim3(1, 70000), dim3(32), 0, flag.get());
    FAIL("expected kernels::CudaError");
  } catch (const kernels::CudaError& error) {
    CHECK(error.code() == cudaErrorInvalidConfiguration);
    CHECK_THAT(std::string(error.what()), Catch::Contains("cudaErrorInvalidConfiguration") &&
                                              Catch::Contains("invalid configuration argument") &&
                                              Catch::Contains("cuda_launch.cuh"));
  }
}

TEST_CASE("KERNELS_CUDA_CHECK names the statement, file, line and error", "[simt][launch]") {
  const int line = __LINE__ + 2;
  try {
    KERNELS_CUDA_CHECK(cudaSetDevice(3));
    FAIL("expected kernels::CudaError");
  } catch (const kernels::CudaError& error) {
    const std::string message = error.what();
    CHECK(error.code() == cudaErrorInvalidDevice);
    CHECK_THAT(message, Catch::Contains("cudaSetDevice(3)"));
    CHECK_THAT(message, Catch::Contains("test_launch.cpp:" + std::to_string(line)));
    CHECK_THAT(message, Catch::Contains("invalid device ordinal"));
  }
  CHECK_NOTHROW([] { KERNELS_CUDA_CHECK(cudaSetDevice(0)); }());
  cudaGetLastError();
}

TEST_CASE("built-ins used outside a kernel are an error, not a crash", "[simt][launch]") {
  CHECK_THROWS_AS(static_cast<void>(threadIdx.x), std::logic_error);
  CHECK_THROWS_AS(__syncthreads(), std::logic_error);
}
