// Our CUDA kernels (kernels::cuda), every op.
#include <cmath>

#include "cuda_bench_internal.h"
#include "kernels/cuda.h"

namespace bench {
namespace {

using kernels::Activation;

Measurement spmm(DeviceRun& run) {
  DeviceMatrix c(zero_matrix(run.a.host->rows, run.in.k));
  const auto call = [&](int i) {
    kernels::cuda::spmm(run.a.csr(), run.a.values.data(), run.by_col[run.pick(i)].view(), c.view(), 1.0f, 0.0f,
                        run.state.stream);
  };
  call(0);
  const CheckResult check = check_spmm(*run.a.host, run.in.by_col[0].view(), c.download().view(), {});
  return run.result(Op::Spmm, "ours", run.time(call), check);
}

Measurement spmm_transposed(DeviceRun& run) {
  DeviceMatrix c(zero_matrix(run.a.host->cols, run.in.k));
  const auto call = [&](int i) {
    kernels::cuda::spmm_transposed(run.a.csc(), run.a.values.data(), run.by_row[run.pick(i)].view(), c.view(), 1.0f,
                                   0.0f, run.state.stream);
  };
  call(0);
  const CheckResult check = check_spmm_transposed(*run.a.host, run.in.by_row[0].view(), c.download().view(), {});
  return run.result(Op::SpmmTransposed, "ours", run.time(call), check);
}

Measurement sddmm(DeviceRun& run) {
  DeviceArray<float> out(static_cast<std::size_t>(run.a.host->nnz()));
  const auto call = [&](int i) {
    kernels::cuda::sddmm(run.a.csr(), run.by_row[run.pick(i)].view(), run.by_col[run.pick(i)].view(), out.data(),
                         run.state.stream);
  };
  call(0);
  const CheckResult check =
      check_sddmm(*run.a.host, run.in.by_row[0].view(), run.in.by_col[0].view(), out.download().data(), {});
  return run.result(Op::Sddmm, "ours", run.time(call), check);
}

Measurement sddmm_squared_error(DeviceRun& run) {
  DeviceArray<float> errors(static_cast<std::size_t>(run.a.host->nnz()));
  DeviceArray<double> loss(std::vector<double>{0.0});
  const auto call = [&](int i) {
    kernels::cuda::sddmm_squared_error(run.a.csr(), run.by_row[run.pick(i)].view(), run.by_col[run.pick(i)].view(),
                                       run.col_bias.data(), run.a.values.data(), Activation::Identity, errors.data(),
                                       nullptr, loss.data(), run.state.stream);
  };
  call(0);
  const CheckResult check = check_sddmm_squared_error(*run.a.host, run.in.by_row[0].view(), run.in.by_col[0].view(),
                                                      run.in.col_bias.data(), errors.download().data(),
                                                      loss.download()[0], {});
  return run.result(Op::SddmmSquaredError, "ours", run.time(call), check);
}

Measurement bias_activation(DeviceRun& run) {
  std::vector<DeviceMatrix> z;  // updated in place (Z += b): a private copy per rotation slot
  for (const HostMatrix& m : run.in.by_row) z.emplace_back(m);
  DeviceMatrix h(zero_matrix(run.a.host->rows, run.in.k));
  const auto call = [&](int i) {
    kernels::cuda::bias_activation_forward(z[run.pick(i)].view(), run.row_bias.data(), Activation::Sigmoid, h.view(),
                                           run.state.stream);
  };
  call(0);
  const CheckResult check = check_bias_sigmoid(run.in.by_row[0].view(), run.in.row_bias.data(), h.download().view(), {});
  return run.result(Op::BiasActivation, "ours", run.time(call), check);
}

Measurement column_sums(DeviceRun& run) {
  DeviceArray<float> sums(static_cast<std::size_t>(run.in.k));
  const auto call = [&](int i) {
    kernels::cuda::column_sums(run.by_row[run.pick(i)].view(), sums.data(), 1.0f, 0.0f, run.state.stream);
  };
  call(0);
  const CheckResult check = check_column_sums(run.in.by_row[0].view(), sums.download().data(), {});
  return run.result(Op::ColumnSums, "ours", run.time(call), check);
}

Measurement dense_gemm(DeviceRun& run) {
  const DeviceMatrix& x = *run.a.dense_rows;
  DeviceMatrix c(zero_matrix(x.rows, run.in.k));
  const auto call = [&](int i) {
    kernels::cuda::gemm(false, false, 1.0f, x.view(), run.by_col[run.pick(i)].view(), 0.0f, c.view(), run.state.stream);
  };
  call(0);
  const CheckResult check = check_spmm(*run.a.host, run.in.by_col[0].view(), c.download().view(), {});
  Measurement m = run.result(Op::DenseGemm, "ours", run.time(call), check,
                             static_cast<double>(run.a.host->rows) / static_cast<double>(x.rows));
  if (x.rows < run.a.host->rows) m.note = "timed on " + std::to_string(x.rows) + " rows, scaled";
  return m;
}

Measurement adam_update(DeviceRun& run) {
  const std::int64_t n = autorec_parameter_count(run.in.size());
  const AdamState before{random_vector(n, 400), random_vector(n, 401), random_vector(n, 402),
                         random_vector(n, 403, 0.0f, 1e-3f)};
  DeviceArray<float> params(before.params), grads(before.grads), m(before.m), v(before.v);
  kernels::AdamParams p;
  p.weight_decay = 0.01f;
  p.step = 3;
  const auto call = [&](int) {
    kernels::cuda::adam_update(params.data(), grads.data(), m.data(), v.data(), n, p, run.state.stream);
  };
  call(0);
  const AdamState after{params.download(), grads.download(), m.download(), v.download()};
  const CheckResult check = check_adam(before, after, p, {});
  return run.result(Op::AdamUpdate, "ours", run.time(call), check);
}

}  // namespace

std::vector<Measurement> run_own_kernels(DeviceRun& run) {
  const std::vector<std::pair<Op, Measurement (*)(DeviceRun&)>> table = {
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
    if (op_selected(run.settings, op_name(op))) results.push_back(fn(run));
  }
  return results;
}

}  // namespace bench
