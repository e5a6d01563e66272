// __syncthreads: a shared-memory block reduction over many block shapes, the predicate variants, and
// deadlock detection for kernels that break the barrier rules.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "device_buffer.h"
#include "test_kernels.h"

namespace {

using simt_test::DeviceBuffer;

struct ReductionShape {
  dim3 grid;
  dim3 block;
  const char* what;
};

// Each row exercises a different way of laying threads out.
const ReductionShape kReductionShapes[] = {
    {dim3(4), dim3(256), "1-D blocks, power of two, 8 full warps"},
    {dim3(3), dim3(100), "1-D blocks, partial last warp (100 = 3 * 32 + 4)"},
    {dim3(2, 3), dim3(16, 8), "2-D grid and 2-D blocks"},
    {dim3(2, 2, 2), dim3(4, 4, 4), "3-D grid and 3-D blocks"},
    {dim3(1), dim3(7, 5, 3), "3-D block of 105 threads, nothing a power of two"},
    {dim3(1), dim3(1024), "the largest block"},
    {dim3(5), dim3(1), "one thread per block"},
};

}  // namespace

TEST_CASE("block reduction in shared memory across several barriers", "[simt][barrier]") {
  for (const ReductionShape& shape : kReductionShapes) {
    INFO(shape.what);
    const unsigned block_threads = shape.block.x * shape.block.y * shape.block.z;
    const unsigned blocks = shape.grid.x * shape.grid.y * shape.grid.z;
    std::vector<float> input(std::size_t{block_threads} * blocks);
    for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<float>(static_cast<int>(i % 17) - 8);
    std::vector<double> expected(blocks, 0.0);  // integer values: the float sums are exact
    for (std::size_t i = 0; i < input.size(); ++i) expected[i / block_threads] += input[i];

    DeviceBuffer<float> device_input(input);
    DeviceBuffer<float> sums(blocks);
    simt_test::block_sum(device_input.get(), sums.get(), shape.grid, shape.block, nullptr);
    const std::vector<float> got = sums.download();
    for (unsigned b = 0; b < blocks; ++b) REQUIRE(got[b] == static_cast<float>(expected[b]));
  }
}

TEST_CASE("__syncthreads_count, _and and _or combine the block's predicates", "[simt][barrier]") {
  const int threads = 100;
  const int blocks = 2;
  for (int modulus : {1, 3, 101}) {
    INFO("modulus " << modulus);
    int expected_count = 0;
    for (int t = 0; t < threads; ++t) expected_count += t % modulus == 0 ? 1 : 0;
    DeviceBuffer<int> counts(3 * blocks);
    simt_test::barrier_predicates(modulus, threads, blocks, counts.get());
    const std::vector<int> got = counts.download();
    for (int b = 0; b < blocks; ++b) {
      CHECK(got[3 * b] == expected_count);
      CHECK(got[3 * b + 1] == (expected_count == threads ? 1 : 0));
      CHECK(got[3 * b + 2] == (expected_count > 0 ? 1 : 0));
    }
  }
}

TEST_CASE("a barrier that some threads skip is reported as a deadlock, not a hang", "[simt][deadlock]") {
  for (int threads : {64, 45}) {
    INFO(threads << " threads");
    try {
      simt_test::half_block_skips_barrier(threads);
      FAIL("the launch should have thrown simt::DeadlockError");
    } catch (const simt::DeadlockError& error) {
      const std::string message = error.what();
      CHECK_THAT(message, Catch::Contains("deadlock in block (0,0,0)"));
      CHECK_THAT(message, Catch::Contains("exited"));
      CHECK_THAT(message, Catch::Contains("sync_kernels.cu"));
    }
  }
  // The emulator recovers: a correct launch right after works.
  DeviceBuffer<int> out(3);
  simt_test::two_barrier_blocks(3, out.get());
  CHECK(out.download() == std::vector<int>(3, 256 * 255 / 2));
}

TEST_CASE("threads waiting at different __syncthreads are reported", "[simt][deadlock]") {
  CHECK_THROWS_WITH(simt_test::divergent_barriers(64), Catch::Contains("different barriers"));
}

TEST_CASE("lanes of a warp in different collectives are reported", "[simt][deadlock]") {
  CHECK_THROWS_AS(simt_test::warp_lanes_disagree(), simt::DeadlockError);
  CHECK_THROWS_WITH(simt_test::syncwarp_against_syncthreads(), Catch::Contains("__syncwarp") &&
                                                                   Catch::Contains("__syncthreads"));
}
