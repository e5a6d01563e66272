// The emulated CUDA device through the engine API: availability, transfers, the caching
// allocator's accounting, and the kernel-source switch (vendor kernels cannot run under SIMT).
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "engine/accumulator.h"
#include "engine/cuda.h"
#include "engine/device.h"
#include "engine/device_memory.h"
#include "engine/error.h"
#include "engine/ops.h"
#include "twin_devices.h"

using engine::DeviceArray;
using twin::kCpu;
using twin::kCuda;

TEST_CASE("the emulated CUDA device is available and says so", "[engine_cuda]") {
  std::string reason = "unset";
  REQUIRE(engine::cuda_available(&reason));
  CHECK(reason.empty());
  const std::string description = engine::device_description(kCuda);
  CHECK(description.find("cuda:0 (") == 0);
  CHECK(description.find("(SIMT emulation)") != std::string::npos);
}

TEST_CASE("a CUDA ordinal that does not exist is a clear error", "[engine_cuda]") {
  CHECK_THROWS_WITH(engine::device_description(engine::Device::cuda(99)), Catch::Contains("cuda:99 does not exist"));
}

TEST_CASE("DeviceArray round trips through the emulated device", "[engine_cuda]") {
  std::vector<std::int64_t> host(1000);
  std::iota(host.begin(), host.end(), -500);
  const auto on_cuda = DeviceArray<std::int64_t>::from_host(host, kCuda);
  CHECK(on_cuda.to_host() == host);
  CHECK(on_cuda.to(kCpu).to_host() == host);       // cuda -> cpu
  CHECK(on_cuda.to(kCuda).to_host() == host);      // device-to-device copy
  CHECK(on_cuda.to(kCpu).to(kCuda).to_host() == host);
  const auto zeros = DeviceArray<double>::zeros(37, kCuda).to_host();
  CHECK(std::all_of(zeros.begin(), zeros.end(), [](double v) { return v == 0.0; }));
}

TEST_CASE("Tensor round trips keep values and padding semantics", "[engine_cuda]") {
  for (const std::int64_t cols : {1, 31, 32, 33, 70}) {
    CAPTURE(cols);
    const auto values = twin::random_values(5 * cols, static_cast<std::uint64_t>(cols));
    const engine::Tensor t = engine::Tensor::from_host(5, cols, values, kCuda);
    CHECK(t.ld() >= cols);
    CHECK(t.to_host() == values);
    CHECK(t.to(kCpu).to_host() == values);
    CHECK(t.cview().row_block(2, 4).to_host() ==
          std::vector<float>(values.begin() + 2 * cols, values.begin() + 4 * cols));
  }
}

TEST_CASE("a device accumulator adds on the device and resets", "[engine_cuda]") {
  engine::DeviceAccumulator sum(kCuda);
  const engine::Tensor x = engine::Tensor::from_host(2, 3, std::vector<float>{1, 2, 3, 4, 5, 6}, kCuda);
  engine::ops::sum_of_squares(x, sum);
  engine::ops::sum_of_squares(x, sum);
  CHECK(sum.read() == 2 * 91.0);
  sum.reset();
  CHECK(sum.read() == 0.0);
}

TEST_CASE("size classes bound the slack and never shrink a request", "[engine_cuda][allocator]") {
  // engine::detail::CachingAllocator::size_class is internal; its effect is visible through the
  // reserved bytes: one fresh allocation reserves at least the request and at most 25% (+512 B) more.
  engine::cuda_release_cached_memory();
  for (const std::size_t bytes : {std::size_t{1}, std::size_t{513}, std::size_t{3} << 20, (std::size_t{5} << 20) + 7}) {
    CAPTURE(bytes);
    const auto before = engine::cuda_memory_stats();
    void* block = engine::device_memory::allocate(kCuda, bytes);
    const auto after = engine::cuda_memory_stats();
    engine::device_memory::deallocate(kCuda, block, bytes);
    engine::cuda_release_cached_memory();
    const std::size_t reserved = after.reserved_bytes - before.reserved_bytes;
    CHECK(after.driver_allocations == before.driver_allocations + 1);
    CHECK(reserved >= bytes);
    CHECK(reserved <= bytes + bytes / 4 + 512);
    CHECK(reinterpret_cast<std::uintptr_t>(block) % 256 == 0);
  }
}

TEST_CASE("freed blocks are reused without the driver, and trimmed on request", "[engine_cuda][allocator]") {
  engine::cuda_release_cached_memory();
  const auto start = engine::cuda_memory_stats();
  {
    DeviceArray<float> a(10000, kCuda);
    DeviceArray<float> b(300000, kCuda);
    const auto live = engine::cuda_memory_stats();
    CHECK(live.live_bytes == start.live_bytes + (10000 + 300000) * sizeof(float));
    CHECK(live.peak_live_bytes >= live.live_bytes);
    CHECK(engine::memory_stats(kCuda).current_bytes == live.live_bytes);
  }
  const auto freed = engine::cuda_memory_stats();
  CHECK(freed.live_bytes == start.live_bytes);
  CHECK(freed.reserved_bytes > start.reserved_bytes);  // cached, not returned
  for (int repeat = 0; repeat < 3; ++repeat) {
    DeviceArray<float> a(10000, kCuda);
    DeviceArray<float> b(290000, kCuda);  // a smaller request fits the cached block of the larger one
  }
  const auto reused = engine::cuda_memory_stats();
  CHECK(reused.driver_allocations == freed.driver_allocations);
  CHECK(reused.cache_hits >= freed.cache_hits + 6);
  engine::cuda_release_cached_memory();
  const auto trimmed = engine::cuda_memory_stats();
  CHECK(trimmed.reserved_bytes == start.reserved_bytes);
  CHECK(trimmed.driver_frees > start.driver_frees);
}

TEST_CASE("reset_peak_memory lowers the peak to what is live", "[engine_cuda][allocator]") {
  { DeviceArray<float> big(1 << 20, kCuda); }
  CHECK(engine::memory_stats(kCuda).peak_bytes >= (std::size_t{1} << 22));
  engine::reset_peak_memory(kCuda);
  CHECK(engine::memory_stats(kCuda).peak_bytes == engine::memory_stats(kCuda).current_bytes);
}

TEST_CASE("kernel selection parses, prints, and refuses vendor kernels under SIMT", "[engine_cuda][vendor]") {
  using engine::CudaKernelSource;
  const engine::CudaKernelSelection v = engine::parse_cuda_kernels("vendor,tf32,alg3");
  CHECK(v.source == CudaKernelSource::Vendor);
  CHECK(v.spmm_algorithm == engine::VendorSpmmAlgorithm::CsrAlg3);
  CHECK(v.gemm_precision == engine::VendorGemmPrecision::Tf32);
  CHECK(engine::to_string(v) == "vendor,alg3,tf32");
  CHECK(engine::parse_cuda_kernels(engine::to_string(v)) == v);
  CHECK(engine::parse_cuda_kernels("own") == engine::CudaKernelSelection{});
  CHECK_THROWS_WITH(engine::parse_cuda_kernels("cusparse"), Catch::Contains("expected 'own' or 'vendor"));
  CHECK_THROWS_WITH(engine::parse_cuda_kernels("vendor,alg9"), Catch::Contains("unknown option 'alg9'"));
  CHECK_THROWS_WITH(engine::parse_cuda_kernels("own,alg2"), Catch::Contains("takes no options"));

  std::string reason;
  CHECK_FALSE(engine::vendor_kernels_available(&reason));
  CHECK(reason.find("SIMT") != std::string::npos);
  CHECK_THROWS_WITH(engine::set_cuda_kernels("vendor"), Catch::Contains("SIMT"));
  CHECK(engine::cuda_kernels().source == CudaKernelSource::Own);  // unchanged by the refusal
  CHECK_NOTHROW(engine::set_cuda_kernels("own"));
}
