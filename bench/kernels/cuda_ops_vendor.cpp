// The vendor baselines (kernels::vendor) on the same operands as our kernels. Plans (32-bit offsets,
// descriptors, buffer sizing, cuSPARSE preprocessing) are made outside the timed loop, one per
// rotation slot because a plan binds its operands' addresses, as a user who cares would reuse them;
// their cost per plan is reported apart, in the measurement's note. What the timed run() still does is part
// of the baseline's cost: zeroing C for beta = 0 (SpMM), zeroing out (SDDMM), and for the transposed
// SpMM the gather of the values into CSC order (cuSPARSE has no "values through a permutation").
#include <chrono>
#include <cstdio>

#include "cuda_bench_internal.h"

namespace bench {
namespace {

// Runs `prepare` (the plans of every rotation slot) between device synchronisations and returns the
// note that reports its cost per plan apart from the timed calls: what a user pays once per pattern.
template <class Prepare>
std::string planned(Prepare&& prepare, std::size_t plans) {
  KERNELS_CUDA_CHECK(cudaDeviceSynchronize());
  const auto start = std::chrono::steady_clock::now();
  prepare();
  KERNELS_CUDA_CHECK(cudaDeviceSynchronize());
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  char note[64];
  std::snprintf(note, sizeof note, "plan %.3g ms once per pattern, not timed", elapsed.count() / static_cast<double>(plans));
  return note;
}

using kernels::vendor::GemmPrecision;
using kernels::vendor::SpmmAlgorithm;

const char* algorithm_name(SpmmAlgorithm algorithm) {
  return algorithm == SpmmAlgorithm::CsrAlg3 ? "cusparse-alg3" : "cusparse-alg2";
}

Measurement spmm(DeviceRun& run, SpmmAlgorithm algorithm) {
  DeviceMatrix c(zero_matrix(run.a.host->rows, run.in.k));
  std::vector<kernels::vendor::SpmmPlan> plans(run.by_col.size());
  const std::string note = planned([&] {
    for (std::size_t r = 0; r < plans.size(); ++r) {
      plans[r].prepare(run.state.vendor->cusparse_handle(), run.a.csr(), run.a.values.data(), run.by_col[r].view(),
                       c.view(), algorithm);
    }
  }, plans.size());
  const auto call = [&](int i) { plans[run.pick(i)].run(1.0f, 0.0f); };
  call(0);
  const CheckResult check = check_spmm(*run.a.host, run.in.by_col[0].view(), c.download().view(), {});
  Measurement m = run.result(Op::Spmm, algorithm_name(algorithm), run.time(call), check);
  m.note = note;
  return m;
}

Measurement spmm_transposed(DeviceRun& run, SpmmAlgorithm algorithm) {
  DeviceMatrix c(zero_matrix(run.a.host->cols, run.in.k));
  std::vector<kernels::vendor::SpmmPlan> plans(run.by_row.size());
  const std::string note = planned([&] {
    for (std::size_t r = 0; r < plans.size(); ++r) {
      plans[r].prepare_transposed(run.state.vendor->cusparse_handle(), run.a.csc(), run.a.values.data(),
                                  run.by_row[r].view(), c.view(), algorithm);
    }
  }, plans.size());
  const auto call = [&](int i) { plans[run.pick(i)].run(1.0f, 0.0f); };
  call(0);
  const CheckResult check = check_spmm_transposed(*run.a.host, run.in.by_row[0].view(), c.download().view(), {});
  Measurement m = run.result(Op::SpmmTransposed, algorithm_name(algorithm), run.time(call), check);
  m.note = note;
  return m;
}

Measurement sddmm(DeviceRun& run) {
  DeviceArray<float> out(static_cast<std::size_t>(run.a.host->nnz()));
  std::vector<kernels::vendor::SddmmPlan> plans(run.by_col.size());
  const std::string note = planned([&] {
    for (std::size_t r = 0; r < plans.size(); ++r) {
      plans[r].prepare(run.state.vendor->cusparse_handle(), run.a.csr(), run.by_row[r].view(), run.by_col[r].view(),
                       out.data());
    }
  }, plans.size());
  const auto call = [&](int i) { plans[run.pick(i)].run(); };
  call(0);
  const CheckResult check =
      check_sddmm(*run.a.host, run.in.by_row[0].view(), run.in.by_col[0].view(), out.download().data(), {});
  Measurement m = run.result(Op::Sddmm, "cusparse", run.time(call), check);
  m.note = note;
  return m;
}

Measurement dense_gemm(DeviceRun& run, GemmPrecision precision) {
  const DeviceMatrix& x = *run.a.dense_rows;
  DeviceMatrix c(zero_matrix(x.rows, run.in.k));
  const auto call = [&](int i) {
    run.state.vendor->gemm(false, false, 1.0f, x.view(), run.by_col[run.pick(i)].view(), 0.0f, c.view(), precision);
  };
  call(0);
  // TF32 keeps 10 mantissa bits of each operand: ~1e-3 relative per product.
  const Tolerance tol = precision == GemmPrecision::Tf32 ? Tolerance{1e-4, 4e-3} : Tolerance{};
  const CheckResult check = check_spmm(*run.a.host, run.in.by_col[0].view(), c.download().view(), tol);
  Measurement m = run.result(Op::DenseGemm, precision == GemmPrecision::Tf32 ? "cublas-tf32" : "cublas-fp32",
                             run.time(call), check, static_cast<double>(run.a.host->rows) / static_cast<double>(x.rows));
  if (x.rows < run.a.host->rows) m.note = "timed on " + std::to_string(x.rows) + " rows, scaled";
  return m;
}

}  // namespace

std::vector<Measurement> run_vendor_kernels(DeviceRun& run) {
  std::vector<Measurement> results;
  for (const SpmmAlgorithm algorithm : {SpmmAlgorithm::CsrAlg2, SpmmAlgorithm::CsrAlg3}) {
    if (op_selected(run.settings, "spmm")) results.push_back(spmm(run, algorithm));
    if (op_selected(run.settings, "spmm_transposed")) results.push_back(spmm_transposed(run, algorithm));
  }
  if (op_selected(run.settings, "sddmm")) results.push_back(sddmm(run));
  for (const GemmPrecision precision : {GemmPrecision::Fp32, GemmPrecision::Tf32}) {
    if (op_selected(run.settings, "dense_gemm")) results.push_back(dense_gemm(run, precision));
  }
  return results;
}

}  // namespace bench
