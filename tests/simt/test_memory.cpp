// Dynamic shared memory, atomics from many blocks, the index built-ins over multi-dimensional grids,
// and exceptions thrown inside kernels.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "device_buffer.h"
#include "kernels/cuda_launch.cuh"
#include "test_kernels.h"

namespace {
using simt_test::DeviceBuffer;
}  // namespace

TEST_CASE("dynamic shared memory holds a block's tile", "[simt][shared]") {
  for (int threads : {128, 96, 50}) {
    const int n = 1000;  // not a multiple of any block size above: the last block is partial
    INFO(threads << " threads per block");
    std::vector<float> input(n);
    for (int i = 0; i < n; ++i) input[i] = static_cast<float>(i);
    std::vector<float> expected(n);
    for (int start = 0; start < n; start += threads) {
      const int width = std::min(threads, n - start);
      for (int t = 0; t < width; ++t) expected[start + t] = input[start + width - 1 - t];
    }
    DeviceBuffer<float> device_input(input);
    DeviceBuffer<float> out(n);
    simt_test::reverse_in_blocks(device_input.get(), out.get(), n, threads, threads * sizeof(float));
    CHECK(out.download() == expected);
  }
}

TEST_CASE("dynamic shared memory over 48 KiB needs cudaFuncSetAttribute", "[simt][shared][launch]") {
  const int threads = 64;
  const std::size_t big = 64 * 1024;
  DeviceBuffer<float> input(threads);
  DeviceBuffer<float> out(threads);
  try {
    simt_test::reverse_in_blocks(input.get(), out.get(), threads, threads, big);
    FAIL("expected kernels::CudaError");
  } catch (const kernels::CudaError& error) {
    CHECK(error.code() == cudaErrorInvalidValue);
  }
  simt_test::raise_reverse_shared_limit(static_cast<int>(big));
  CHECK_NOTHROW(simt_test::reverse_in_blocks(input.get(), out.get(), threads, threads, big));
  CHECK_THROWS_AS(simt_test::raise_reverse_shared_limit(1 << 30), kernels::CudaError);
}

TEST_CASE("atomics from many blocks", "[simt][atomics]") {
  const int blocks = 37;
  const int threads = 96;
  simt_test::AtomicTotals expected{};
  expected.max = std::numeric_limits<int>::min();
  expected.min = std::numeric_limits<int>::max();
  double expected_double = 0.0;
  for (int i = 0; i < blocks * threads; ++i) {
    const int value = i % 13 - 6;
    expected.int_sum += value;
    expected.unsigned_sum += static_cast<unsigned>(value + 6);
    expected.ull_sum += static_cast<unsigned long long>(value + 6);
    expected.float_sum += static_cast<float>(value);
    expected_double += value * 0.5;
    expected.max = std::max(expected.max, value);
    expected.min = std::min(expected.min, value);
  }
  simt_test::AtomicTotals initial{};
  initial.max = std::numeric_limits<int>::min();
  initial.min = std::numeric_limits<int>::max();
  DeviceBuffer<simt_test::AtomicTotals> totals(std::vector<simt_test::AtomicTotals>{initial});
  simt_test::atomics(blocks, threads, totals.get());
  const simt_test::AtomicTotals got = totals.download()[0];
  CHECK(got.int_sum == expected.int_sum);
  CHECK(got.unsigned_sum == expected.unsigned_sum);
  CHECK(got.ull_sum == expected.ull_sum);
  CHECK(got.float_sum == expected.float_sum);  // small integers: exact in float
  CHECK(got.double_sum == expected_double);
  CHECK(got.max == 6);
  CHECK(got.min == -6);
  CHECK(got.cas_count == blocks * threads);
  CHECK(got.exchanged == 42);
}

TEST_CASE("threadIdx, blockIdx, blockDim and gridDim over multi-dimensional grids", "[simt][index]") {
  const dim3 grid(3, 2, 2);
  const dim3 block(5, 3, 2);
  const unsigned total = grid.x * grid.y * grid.z * block.x * block.y * block.z;
  DeviceBuffer<simt_test::ThreadCoordinates> out(total);
  simt_test::coordinates(grid, block, out.get());
  const auto got = out.download();
  unsigned id = 0;  // enumerate in the same linear order, independently
  for (unsigned bz = 0; bz < grid.z; ++bz)
    for (unsigned by = 0; by < grid.y; ++by)
      for (unsigned bx = 0; bx < grid.x; ++bx)
        for (unsigned tz = 0; tz < block.z; ++tz)
          for (unsigned ty = 0; ty < block.y; ++ty)
            for (unsigned tx = 0; tx < block.x; ++tx, ++id) {
              const simt_test::ThreadCoordinates& c = got[id];
              INFO("id " << id);
              REQUIRE((c.thread.x == tx && c.thread.y == ty && c.thread.z == tz));
              REQUIRE((c.block.x == bx && c.block.y == by && c.block.z == bz));
              REQUIRE((c.block_dim.x == block.x && c.block_dim.y == block.y && c.block_dim.z == block.z));
              REQUIRE((c.grid_dim.x == grid.x && c.grid_dim.y == grid.y && c.grid_dim.z == grid.z));
            }
}

TEST_CASE("an exception thrown inside a kernel is rethrown by the launch", "[simt][exception]") {
  const int blocks = 4;
  const int threads = 64;
  DeviceBuffer<int> counter(1);
  CHECK_THROWS_WITH(simt_test::throwing(blocks, threads, 2, 5, counter.get()), "kernel exception");
  // Blocks 0 and 1 ran to completion before block 2 threw; block 2 was abandoned, block 3 never ran.
  CHECK(counter.download()[0] == 2 * threads);
  // The process and the emulator survive: the same kernel runs again without a thrower.
  DeviceBuffer<int> again(1);
  simt_test::throwing(blocks, threads, -1, -1, again.get());
  CHECK(again.download()[0] == blocks * threads);
}
