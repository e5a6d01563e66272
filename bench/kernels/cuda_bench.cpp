#include "cuda_bench.h"

#include "cuda_bench_internal.h"

namespace bench {
namespace {

constexpr std::size_t kCopyBytes = std::size_t{1} << 30;  // far beyond L2: the DRAM bandwidth

}  // namespace

CudaBench::CudaBench() : state_(std::make_unique<CudaState>()) {
  KERNELS_CUDA_CHECK(cudaStreamCreateWithFlags(&state_->stream, cudaStreamNonBlocking));
  state_->vendor = std::make_unique<kernels::vendor::Context>(state_->stream);
  state_->copy_gbytes_per_s = device_copy_gbytes_per_s(state_->stream, kCopyBytes);
}

CudaBench::~CudaBench() {
  state_->pattern.reset();
  state_->vendor.reset();
  cudaStreamDestroy(state_->stream);
}

double CudaBench::copy_gbytes_per_s() const { return state_->copy_gbytes_per_s; }

void CudaBench::load_pattern(const HostSparse& a, std::int64_t gemm_rows) {
  state_->pattern.reset();  // free the previous problem first: Netflix-sized patterns are GBs
  DeviceSparse& d = state_->pattern.emplace();
  d.host = &a;
  d.offsets = DeviceArray<kernels::offset_t>(a.offsets);
  d.indices = DeviceArray<kernels::index_t>(a.indices);
  d.values = DeviceArray<float>(a.values);
  d.csc_offsets = DeviceArray<kernels::offset_t>(a.csc_offsets);
  d.csc_rows = DeviceArray<kernels::index_t>(a.csc_rows);
  d.csc_positions = DeviceArray<kernels::offset_t>(a.csc_positions);
  d.dense_rows.emplace(densify_rows(a, 0, gemm_rows));
}

std::vector<Measurement> CudaBench::run(const HostOperands& operands, const RunSettings& settings) {
  if (!state_->pattern || state_->pattern->host != operands.a) throw std::logic_error("CudaBench::run: load_pattern first");
  DeviceRun run{operands, settings, *state_, *state_->pattern, {}, {}, DeviceArray<float>(operands.col_bias),
                DeviceArray<float>(operands.row_bias)};
  for (const HostMatrix& m : operands.by_col) run.by_col.emplace_back(m);
  for (const HostMatrix& m : operands.by_row) run.by_row.emplace_back(m);
  std::vector<Measurement> results = run_own_kernels(run);
  for (Measurement& m : run_vendor_kernels(run)) results.push_back(std::move(m));
  return results;
}

}  // namespace bench
