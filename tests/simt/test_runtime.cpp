// The emulated CUDA runtime: device queries, memory, copies, memsets, streams, events, errors.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "kernels/cuda_platform.h"

TEST_CASE("one emulated device with plausible properties", "[simt][runtime]") {
  int count = 0;
  REQUIRE(cudaGetDeviceCount(&count) == cudaSuccess);
  CHECK(count == 1);
  int device = -1;
  CHECK(cudaSetDevice(0) == cudaSuccess);
  CHECK(cudaGetDevice(&device) == cudaSuccess);
  CHECK(device == 0);
  CHECK(cudaSetDevice(1) == cudaErrorInvalidDevice);
  CHECK(cudaGetLastError() == cudaErrorInvalidDevice);

  cudaDeviceProp properties{};
  REQUIRE(cudaGetDeviceProperties(&properties, 0) == cudaSuccess);
  CHECK(std::string(properties.name) == "SIMT emulator");
  CHECK(properties.warpSize == 32);
  CHECK(properties.maxThreadsPerBlock == 1024);
  CHECK(properties.sharedMemPerBlock == 48 * 1024);
  CHECK(properties.multiProcessorCount >= 1);
  CHECK(properties.totalGlobalMem > 0);
  CHECK(cudaGetDeviceProperties(&properties, 1) == cudaErrorInvalidDevice);

  int driver = 0;
  int runtime = 0;
  CHECK(cudaDriverGetVersion(&driver) == cudaSuccess);
  CHECK(cudaRuntimeGetVersion(&runtime) == cudaSuccess);
  CHECK(driver > 0);
  CHECK(runtime > 0);
  CHECK(cudaDeviceSynchronize() == cudaSuccess);
  cudaGetLastError();
}

TEST_CASE("malloc, memcpy of every kind, memset and free", "[simt][runtime]") {
  const std::size_t n = 1000;
  std::vector<int> host(n);
  std::iota(host.begin(), host.end(), 0);

  std::size_t free_before = 0;
  std::size_t total = 0;
  REQUIRE(cudaMemGetInfo(&free_before, &total) == cudaSuccess);
  int* a = nullptr;
  int* b = nullptr;
  int* pinned = nullptr;
  REQUIRE(cudaMalloc(&a, n * sizeof(int)) == cudaSuccess);
  REQUIRE(cudaMalloc(&b, n * sizeof(int)) == cudaSuccess);
  REQUIRE(cudaMallocHost(&pinned, n * sizeof(int)) == cudaSuccess);
  CHECK(reinterpret_cast<std::uintptr_t>(a) % 256 == 0);
  std::size_t free_after = 0;
  REQUIRE(cudaMemGetInfo(&free_after, &total) == cudaSuccess);
  CHECK(free_before - free_after == 2 * n * sizeof(int));

  CHECK(cudaMemcpy(a, host.data(), n * sizeof(int), cudaMemcpyHostToDevice) == cudaSuccess);
  CHECK(cudaMemcpy(b, a, n * sizeof(int), cudaMemcpyDeviceToDevice) == cudaSuccess);
  CHECK(cudaMemcpyAsync(pinned, b, n * sizeof(int), cudaMemcpyDeviceToHost, nullptr) == cudaSuccess);
  CHECK(std::vector<int>(pinned, pinned + n) == host);
  std::vector<int> round_trip(n, -1);
  CHECK(cudaMemcpy(round_trip.data(), pinned, n * sizeof(int), cudaMemcpyDefault) == cudaSuccess);
  CHECK(round_trip == host);

  CHECK(cudaMemset(a + 10, 0xFF, 5 * sizeof(int)) == cudaSuccess);
  CHECK(cudaMemsetAsync(a, 0, 10 * sizeof(int), nullptr) == cudaSuccess);
  CHECK(cudaMemcpy(round_trip.data(), a, n * sizeof(int), cudaMemcpyDeviceToHost) == cudaSuccess);
  for (std::size_t i = 0; i < n; ++i) {
    const int expected = i < 10 ? 0 : (i < 15 ? -1 : static_cast<int>(i));
    REQUIRE(round_trip[i] == expected);
  }

  // Device-side ranges are checked against the allocations.
  CHECK(cudaMemcpy(a + 1, host.data(), n * sizeof(int), cudaMemcpyHostToDevice) == cudaErrorInvalidValue);
  CHECK(cudaMemcpy(host.data(), host.data() + 1, sizeof(int), cudaMemcpyDeviceToHost) == cudaErrorInvalidValue);
  CHECK(cudaMemset(host.data(), 0, sizeof(int)) == cudaErrorInvalidValue);
  CHECK(cudaMemcpy(a, b, 4, static_cast<cudaMemcpyKind>(7)) == cudaErrorInvalidMemcpyDirection);
  CHECK(cudaFree(host.data()) == cudaErrorInvalidValue);
  cudaGetLastError();

  CHECK(cudaFree(a) == cudaSuccess);
  CHECK(cudaFree(b) == cudaSuccess);
  CHECK(cudaFree(nullptr) == cudaSuccess);
  CHECK(cudaFreeHost(pinned) == cudaSuccess);
  CHECK(cudaFree(a) == cudaErrorInvalidValue);  // double free is reported, not a heap corruption
  CHECK(cudaGetLastError() == cudaErrorInvalidValue);
  int* empty = a;
  CHECK(cudaMalloc(&empty, 0) == cudaSuccess);
  CHECK(empty == nullptr);
}

TEST_CASE("streams and events", "[simt][runtime]") {
  cudaStream_t stream = nullptr;
  cudaStream_t non_blocking = nullptr;
  REQUIRE(cudaStreamCreate(&stream) == cudaSuccess);
  REQUIRE(cudaStreamCreateWithFlags(&non_blocking, cudaStreamNonBlocking) == cudaSuccess);
  CHECK(stream != nullptr);
  CHECK(stream != non_blocking);

  cudaEvent_t start = nullptr;
  cudaEvent_t stop = nullptr;
  cudaEvent_t untimed = nullptr;
  REQUIRE(cudaEventCreate(&start) == cudaSuccess);
  REQUIRE(cudaEventCreate(&stop) == cudaSuccess);
  REQUIRE(cudaEventCreateWithFlags(&untimed, cudaEventDisableTiming) == cudaSuccess);
  float milliseconds = -1.0F;
  CHECK(cudaEventElapsedTime(&milliseconds, start, stop) == cudaErrorInvalidResourceHandle);  // not recorded

  CHECK(cudaEventRecord(start, stream) == cudaSuccess);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(cudaEventRecord(stop, stream) == cudaSuccess);
  CHECK(cudaEventRecord(untimed, stream) == cudaSuccess);
  CHECK(cudaEventSynchronize(stop) == cudaSuccess);
  CHECK(cudaStreamWaitEvent(non_blocking, stop, 0) == cudaSuccess);
  CHECK(cudaStreamSynchronize(stream) == cudaSuccess);
  REQUIRE(cudaEventElapsedTime(&milliseconds, start, stop) == cudaSuccess);
  CHECK(milliseconds >= 19.0F);
  CHECK(milliseconds < 5000.0F);
  CHECK(cudaEventElapsedTime(&milliseconds, start, untimed) == cudaErrorInvalidResourceHandle);

  CHECK(cudaEventDestroy(start) == cudaSuccess);
  CHECK(cudaEventDestroy(stop) == cudaSuccess);
  CHECK(cudaEventDestroy(untimed) == cudaSuccess);
  CHECK(cudaStreamDestroy(stream) == cudaSuccess);
  CHECK(cudaStreamDestroy(non_blocking) == cudaSuccess);
  CHECK(cudaStreamSynchronize(stream) == cudaErrorInvalidResourceHandle);  // destroyed
  CHECK(cudaEventDestroy(start) == cudaErrorInvalidResourceHandle);
  cudaGetLastError();
}

TEST_CASE("error names and strings", "[simt][runtime]") {
  CHECK(std::string(cudaGetErrorName(cudaSuccess)) == "cudaSuccess");
  CHECK(std::string(cudaGetErrorString(cudaSuccess)) == "no error");
  CHECK(std::string(cudaGetErrorName(cudaErrorMemoryAllocation)) == "cudaErrorMemoryAllocation");
  CHECK(std::string(cudaGetErrorString(cudaErrorInvalidConfiguration)) == "invalid configuration argument");
  CHECK(std::strlen(cudaGetErrorString(static_cast<cudaError_t>(12345))) > 0);
}
