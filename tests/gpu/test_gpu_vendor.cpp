// Our CUDA kernels against the vendor baselines (cuSPARSE SpMM ALG2/ALG3 and SDDMM, cuBLAS SGEMM in
// FP32 and TF32) on shapes larger than the op-by-op tests: padded leading dimensions, thousands of
// rows. Both run on the same device operands through the engine's kernel switch; the plan API that
// the benchmarks use (prepare once, run many) is checked directly.
#include <catch2/catch.hpp>

#include "engine/device.h"
#include "engine/internal/kernel_views.h"  // engine_internal: the vendor plan takes kernel views
#include "engine/ops.h"
#include "kernels/vendor.h"
#include "twin_devices.h"

using engine::Tensor;
using twin::kCuda;

namespace {

constexpr int kItems = 1500;
constexpr int kUsers = 2000;
constexpr double kDensity = 0.02;

// Runs `compute` into a fresh copy of `initial` under a kernel selection; returns the result.
template <class Compute>
std::vector<float> run_with(const std::string& kernels, const Tensor& initial, Compute compute) {
  const twin::KernelSelection selection(kernels);
  Tensor out = initial.to(kCuda);
  compute(out);
  return out.to_host();
}

}  // namespace

TEST_CASE("our sparse products match cuSPARSE on a large problem", "[gpu][vendor]") {
  const std::string algorithm = GENERATE(as<std::string>{}, "vendor,alg2", "vendor,alg3");
  const std::int64_t k = GENERATE(100, 128);
  CAPTURE(algorithm, k);
  const engine::SparseMatrix a = twin::random_sparse(kItems, kUsers, kDensity, 5, kCuda);
  const Tensor b = twin::random_tensor(kUsers, k, 6, kCuda);
  const Tensor bt = twin::random_tensor(kItems, k, 7, kCuda);
  const Tensor c0 = twin::random_tensor(kItems, k, 8, kCuda);
  const Tensor ct0 = twin::random_tensor(kUsers, k, 9, kCuda);
  const auto tol = twin::sum_tolerance(static_cast<std::int64_t>(kUsers * kDensity * 4), 5.0);  // row lengths ~40, well under 4x

  const auto spmm = [&](Tensor& c) { engine::ops::spmm(a, b, c, 1.0f, 0.5f); };
  CHECK_CLOSE(run_with("own", c0, spmm), twin::widen(run_with(algorithm, c0, spmm)), tol);
  const auto spmm_t = [&](Tensor& c) { engine::ops::spmm_transposed(a, bt, c, 1.0f, 0.0f); };
  CHECK_CLOSE(run_with("own", ct0, spmm_t), twin::widen(run_with(algorithm, ct0, spmm_t)), tol);

  const Tensor w = twin::random_tensor(kUsers, k, 10, kCuda);
  const Tensor out0 = Tensor::zeros(1, a.nnz(), kCuda);
  const auto sddmm = [&](Tensor& out) { engine::ops::sddmm(a, bt, w, out); };
  CHECK_CLOSE(run_with("own", out0, sddmm), twin::widen(run_with(algorithm, out0, sddmm)),
              twin::sum_tolerance(k, 1.0));
}

TEST_CASE("our gemm matches cuBLAS in FP32, and TF32 within its precision", "[gpu][vendor]") {
  const bool ta = GENERATE(false, true);
  const bool tb = GENERATE(false, true);
  CAPTURE(ta, tb);
  const std::int64_t m = 500, n = 300, k = 257;
  const Tensor a = twin::random_tensor(ta ? k : m, ta ? m : k, 20, kCuda);
  const Tensor b = twin::random_tensor(tb ? n : k, tb ? k : n, 21, kCuda);
  const Tensor c0 = twin::random_tensor(m, n, 22, kCuda);
  const auto gemm = [&](Tensor& c) { engine::ops::gemm(ta, tb, 1.0f, a, b, -1.0f, c); };
  const std::vector<float> ours = run_with("own", c0, gemm);
  CHECK_CLOSE(ours, twin::widen(run_with("vendor,fp32", c0, gemm)), twin::sum_tolerance(k, 1.0));
  // TF32 keeps 10 mantissa bits: each product errs by up to ~2^-10 relative; over k random-signed
  // terms that is ~sqrt(k) * 2^-10 ~ 0.02 here. A transposition mistake would be off by O(1).
  CHECK_CLOSE(ours, twin::widen(run_with("vendor,tf32", c0, gemm)), (testsupport::Tolerance{0.05, 0.01}));
}

TEST_CASE("an SpmmPlan prepared once follows changing values", "[gpu][vendor]") {
  const engine::SparseMatrix a = twin::random_sparse(300, 400, 0.05, 30, kCuda);
  const Tensor b = twin::random_tensor(400, 64, 31, kCuda);
  Tensor values = twin::random_tensor(1, a.nnz(), 32, kCuda);
  Tensor c = Tensor::zeros(300, 64, kCuda);
  Tensor expected = Tensor::zeros(300, 64, kCuda);
  engine::synchronize(kCuda);  // the plan runs on its own stream

  cudaStream_t stream = nullptr;
  KERNELS_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  {
    kernels::vendor::Context context(stream);
    kernels::vendor::SpmmPlan plan;
    plan.prepare(context.cusparse_handle(), engine::kcsr(a), values.data(), engine::kview(b.cview()),
                 engine::kview(c.view()), kernels::vendor::SpmmAlgorithm::CsrAlg3);
    for (int round = 0; round < 3; ++round) {
      CAPTURE(round);
      engine::ops::scale(values, -2.0f);  // same pattern, new values
      engine::ops::spmm(a, values, b, expected);
      engine::synchronize(kCuda);
      plan.run(1.0f, 0.0f);
      KERNELS_CUDA_CHECK(cudaStreamSynchronize(stream));
      CHECK_CLOSE(c.to_host(), twin::widen(expected.to_host()), twin::sum_tolerance(40, 5.0 * (1 << round)));
    }
  }
  KERNELS_CUDA_CHECK(cudaStreamDestroy(stream));
}
