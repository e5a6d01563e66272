#include "cpu_runner.h"

#include <cmath>
#include <functional>

#include "kernels/cpu.h"
#include "timing.h"

namespace bench {
namespace {

using kernels::Activation;

struct CpuRun {
  const HostOperands& in;
  const RunSettings& settings;

  std::size_t pick(int call) const { return static_cast<std::size_t>(call) % in.by_col.size(); }
  std::vector<double> time(const std::function<void(int)>& fn) const {
    return time_host_ms(settings.warmup, settings.repeats, fn);
  }
  Measurement result(Op op, const std::vector<double>& ms, CheckResult check, double scale = 1.0) const {
    return make_measurement(in.problem, in.size(), op, "cpu", "cpu", ms, check, 0.0, scale);
  }
};

Measurement spmm(const CpuRun& run) {
  const HostSparse& a = *run.in.a;
  HostMatrix c = zero_matrix(a.rows, run.in.k);
  const auto call = [&](int i) { kernels::cpu::spmm(a.csr(), a.values.data(), run.in.by_col[run.pick(i)].view(), c.view()); };
  call(0);
  const CheckResult check = check_spmm(a, run.in.by_col[0].view(), c.view(), {});
  return run.result(Op::Spmm, run.time(call), check);
}

Measurement spmm_transposed(const CpuRun& run) {
  const HostSparse& a = *run.in.a;
  HostMatrix c = zero_matrix(a.cols, run.in.k);
  const auto call = [&](int i) {
    kernels::cpu::spmm_transposed(a.csc(), a.values.data(), run.in.by_row[run.pick(i)].view(), c.view());
  };
  call(0);
  const CheckResult check = check_spmm_transposed(a, run.in.by_row[0].view(), c.view(), {});
  return run.result(Op::SpmmTransposed, run.time(call), check);
}

Measurement sddmm(const CpuRun& run) {
  const HostSparse& a = *run.in.a;
  std::vector<float> out(static_cast<std::size_t>(a.nnz()));
  const auto call = [&](int i) {
    kernels::cpu::sddmm(a.csr(), run.in.by_row[run.pick(i)].view(), run.in.by_col[run.pick(i)].view(), out.data());
  };
  call(0);
  const CheckResult check = check_sddmm(a, run.in.by_row[0].view(), run.in.by_col[0].view(), out.data(), {});
  return run.result(Op::Sddmm, run.time(call), check);
}

Measurement sddmm_squared_error(const CpuRun& run) {
  const HostSparse& a = *run.in.a;
  std::vector<float> errors(static_cast<std::size_t>(a.nnz()));
  double loss = 0.0;
  const auto call = [&](int i) {
    loss = kernels::cpu::sddmm_squared_error(a.csr(), run.in.by_row[run.pick(i)].view(),
                                             run.in.by_col[run.pick(i)].view(), run.in.col_bias.data(), a.values.data(),
                                             Activation::Identity, errors.data(), nullptr);
  };
  call(0);
  const CheckResult check = check_sddmm_squared_error(a, run.in.by_row[0].view(), run.in.by_col[0].view(),
                                                      run.in.col_bias.data(), errors.data(), loss, {});
  return run.result(Op::SddmmSquaredError, run.time(call), check);
}

Measurement bias_activation(const CpuRun& run) {
  // Z is updated in place (Z += b): each call works on a fresh copy so the check sees one addition.
  std::vector<HostMatrix> z(run.in.by_row.begin(), run.in.by_row.end());
  HostMatrix h = zero_matrix(run.in.a->rows, run.in.k);
  const auto call = [&](int i) {
    kernels::cpu::bias_activation_forward(z[run.pick(i)].view(), run.in.row_bias.data(), Activation::Sigmoid, h.view());
  };
  call(0);
  const CheckResult check = check_bias_sigmoid(run.in.by_row[0].view(), run.in.row_bias.data(), h.view(), {});
  return run.result(Op::BiasActivation, run.time(call), check);
}

Measurement column_sums(const CpuRun& run) {
  std::vector<float> sums(static_cast<std::size_t>(run.in.k));
  const auto call = [&](int i) { kernels::cpu::column_sums(run.in.by_row[run.pick(i)].view(), sums.data()); };
  call(0);
  const CheckResult check = check_column_sums(run.in.by_row[0].view(), sums.data(), {});
  return run.result(Op::ColumnSums, run.time(call), check);
}

// X (a row block of A, densified) . V: the cost of the dense formulation. Timed on at most
// dense_gemm_max_bytes of X and scaled to all rows (GEMM time is linear in the rows).
Measurement dense_gemm(const CpuRun& run) {
  const HostSparse& a = *run.in.a;
  const std::int64_t rows = dense_gemm_rows(a, run.settings.dense_gemm_max_bytes);
  const HostMatrix x = densify_rows(a, 0, rows);
  HostMatrix c = zero_matrix(rows, run.in.k);
  const auto call = [&](int i) {
    kernels::cpu::gemm(false, false, 1.0f, x.view(), run.in.by_col[run.pick(i)].view(), 0.0f, c.view());
  };
  call(0);
  const CheckResult check = check_spmm(a, run.in.by_col[0].view(), c.view(), {});
  Measurement m = run.result(Op::DenseGemm, run.time(call), check, static_cast<double>(a.rows) / static_cast<double>(rows));
  if (rows < a.rows) m.note = "timed on " + std::to_string(rows) + " rows, scaled";
  return m;
}

Measurement adam_update(const CpuRun& run) {
  const std::int64_t n = autorec_parameter_count(run.in.size());
  AdamState state{random_vector(n, 400), random_vector(n, 401), random_vector(n, 402), random_vector(n, 403, 0.0f, 1e-3f)};
  const AdamState before = state;
  kernels::AdamParams params;
  params.weight_decay = 0.01f;
  params.step = 3;
  kernels::cpu::adam_update(state.params.data(), state.grads.data(), state.m.data(), state.v.data(), n, params);
  const CheckResult check = check_adam(before, state, params, {});
  const auto call = [&](int) {
    kernels::cpu::adam_update(state.params.data(), state.grads.data(), state.m.data(), state.v.data(), n, params);
  };
  return run.result(Op::AdamUpdate, run.time(call), check);
}

}  // namespace

std::vector<Measurement> run_cpu(const HostOperands& operands, const RunSettings& settings) {
  const CpuRun run{operands, settings};
  const std::vector<std::pair<Op, Measurement (*)(const CpuRun&)>> table = {
      {Op::Spmm, spmm},
      {Op::SpmmTransposed, spmm_transposed},
      {Op::Sddmm, sddmm},
      {Op::SddmmSquaredError, sddmm_squared_error},
      {Op::BiasActivation, bias_activation},
      {Op::ColumnSums, column_sums},
      {Op::DenseGemm, dense_gemm},
      {Op::AdamUpdate, adam_update}};
  std::vector<Measurement> results;
  for (const auto& [op, fn] : table) {
    if (op_selected(settings, op_name(op))) results.push_back(fn(run));
  }
  return results;
}

}  // namespace bench
