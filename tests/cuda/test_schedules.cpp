// Race checks: the kernels that share data between threads (shared-memory staging and block-level
// partial sums in spmm, the staged tiles of gemm, the block sums of sddmm_squared_error and
// column_sums) must give bit-identical results whatever order the emulator resumes a block's threads
// in. A missing __syncthreads/__syncwarp shows up as a difference under the reverse or random order.
#include <catch2/catch.hpp>
#include <vector>

#include "device_data.h"
#include "kernels/cuda.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"

namespace {

using cudatest::DeviceArray;
using cudatest::DeviceMatrix;
using testsupport::HostMatrix;

// Sets the emulator's schedule for the lifetime of the guard, restoring the previous one after.
class ScheduleGuard {
 public:
  explicit ScheduleGuard(simt::Schedule schedule) : previous_(simt::current_schedule()) {
    simt::set_schedule(schedule);
  }
  ~ScheduleGuard() { simt::set_schedule(previous_); }
  ScheduleGuard(const ScheduleGuard&) = delete;
  ScheduleGuard& operator=(const ScheduleGuard&) = delete;

 private:
  simt::Schedule previous_;
};

// Everything the race-checked kernels produce for one fixed input, downloaded to the host.
struct Outputs {
  std::vector<float> spmm_short, spmm_long, gemm, errors, column_sums;
  double loss = 0.0;
};

Outputs run_kernels() {
  // k = 20 (float4, groups of 8 lanes): rows longer than 128 nonzeros take the block-wide path; the
  // full row guarantees one. Uniform values: any change of summation order changes the last bits.
  const testsupport::HostCsr a =
      testsupport::HostCsr::random({120, 400, 0.05, testsupport::RowLengths::HeavyTailed, 0.0, true, false, 5});
  const HostMatrix b = HostMatrix::random(a.cols(), 20, 6);
  const HostMatrix h = HostMatrix::random(a.rows(), 20, 7);
  const cudatest::DeviceSparse device_a(a);
  const DeviceMatrix device_b(b);
  const DeviceMatrix device_h(h);
  Outputs out;

  const DeviceMatrix c(HostMatrix(a.rows(), 20));
  kernels::cuda::spmm(device_a.pattern(), device_a.values.data(), device_b.cview(), c.view(), 1.0f, 0.0f, nullptr);
  out.spmm_long = c.download(HostMatrix(a.rows(), 20)).data;
  // k = 37: scalar loads, full warps per row, a second partial column tile.
  const HostMatrix b37 = HostMatrix::random(a.cols(), 37, 8);
  const DeviceMatrix device_b37(b37);
  const DeviceMatrix c37(HostMatrix(a.rows(), 37));
  kernels::cuda::spmm(device_a.pattern(), device_a.values.data(), device_b37.cview(), c37.view(), 1.0f, 0.0f,
                      nullptr);
  out.spmm_short = c37.download(HostMatrix(a.rows(), 37)).data;

  const DeviceMatrix g(HostMatrix(a.rows(), a.cols()));
  kernels::cuda::gemm(false, true, 1.0f, device_h.cview(), device_b.cview(), 0.0f, g.view(), nullptr);
  out.gemm = g.download(HostMatrix(a.rows(), a.cols())).data;

  const DeviceArray<float> ratings(testsupport::random_vector(a.nnz(), 9));
  DeviceArray<float> errors(static_cast<std::size_t>(a.nnz()));
  const DeviceArray<double> loss = cudatest::device_scalar(0.0);
  kernels::cuda::sddmm_squared_error(device_a.pattern(), device_h.cview(), device_b.cview(), nullptr, ratings.data(),
                                     kernels::Activation::Sigmoid, errors.data(), nullptr, loss.data(), nullptr);
  out.errors = errors.download();
  out.loss = cudatest::read_scalar(loss);

  DeviceArray<float> sums(static_cast<std::size_t>(b.cols));
  kernels::cuda::column_sums(device_b.cview(), sums.data(), 1.0f, 0.0f, nullptr);
  out.column_sums = sums.download();
  return out;
}

void check_equal(const Outputs& actual, const Outputs& expected) {
  CHECK(actual.spmm_short == expected.spmm_short);
  CHECK(actual.spmm_long == expected.spmm_long);
  CHECK(actual.gemm == expected.gemm);
  CHECK(actual.errors == expected.errors);
  CHECK(actual.loss == expected.loss);
  CHECK(actual.column_sums == expected.column_sums);
}

}  // namespace

TEST_CASE("cuda kernels give bit-identical results under every thread schedule", "[simt][races]") {
  const Outputs forward = [] {
    const ScheduleGuard guard({simt::ScheduleOrder::forward, 0});
    return run_kernels();
  }();
  {
    const ScheduleGuard guard({simt::ScheduleOrder::reverse, 0});
    check_equal(run_kernels(), forward);
  }
  for (const std::uint64_t seed : {1u, 2u}) {
    INFO("random schedule, seed " << seed);
    const ScheduleGuard guard({simt::ScheduleOrder::random, seed});
    check_equal(run_kernels(), forward);
  }
}
