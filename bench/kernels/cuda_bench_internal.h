// Shared by the CUDA runner's files: the device copies of the operands and one run's context.
#pragma once

#include <functional>
#include <optional>

#include "cuda_bench.h"
#include "cuda_support.h"
#include "kernels/vendor.h"

namespace bench {

struct DeviceMatrix {
  DeviceArray<float> storage;
  std::int64_t rows = 0, cols = 0, ld = 0;

  explicit DeviceMatrix(const HostMatrix& host) : storage(host.data), rows(host.rows), cols(host.cols), ld(host.ld) {}
  kernels::MatrixView<float> view() const { return {storage.data(), rows, cols, ld}; }
  HostMatrix download() const { return {rows, cols, ld, storage.download()}; }
};

struct DeviceSparse {
  const HostSparse* host = nullptr;
  DeviceArray<kernels::offset_t> offsets, csc_offsets, csc_positions;
  DeviceArray<kernels::index_t> indices, csc_rows;
  DeviceArray<float> values;
  std::optional<DeviceMatrix> dense_rows;  // the first rows of A, densified: X of the dense GEMM

  kernels::CsrPattern csr() const { return {host->rows, host->cols, host->nnz(), offsets.data(), indices.data()}; }
  kernels::CscPattern csc() const {
    return {host->rows, host->cols, host->nnz(), csc_offsets.data(), csc_rows.data(), csc_positions.data()};
  }
};

struct CudaState {
  cudaStream_t stream = nullptr;
  std::unique_ptr<kernels::vendor::Context> vendor;
  double copy_gbytes_per_s = 0.0;
  std::optional<DeviceSparse> pattern;
};

// One (problem, k) run: the device copies of the dense operands, rotated between calls.
struct DeviceRun {
  const HostOperands& in;
  const RunSettings& settings;
  CudaState& state;
  const DeviceSparse& a;
  std::vector<DeviceMatrix> by_col, by_row;  // rotation x (n, k), rotation x (m, k)
  DeviceArray<float> col_bias, row_bias;

  std::size_t pick(int call) const { return static_cast<std::size_t>(call) % by_col.size(); }
  std::vector<double> time(const std::function<void(int)>& fn) const {
    return time_device_ms(state.stream, settings.warmup, settings.repeats, fn);
  }
  Measurement result(Op op, const std::string& impl, const std::vector<double>& ms, CheckResult check,
                     double scale = 1.0) const {
    return make_measurement(in.problem, in.size(), op, impl, "cuda", ms, check, state.copy_gbytes_per_s, scale);
  }
  void synchronize() const { KERNELS_CUDA_CHECK(cudaStreamSynchronize(state.stream)); }
};

std::vector<Measurement> run_own_kernels(DeviceRun& run);
std::vector<Measurement> run_vendor_kernels(DeviceRun& run);

}  // namespace bench
