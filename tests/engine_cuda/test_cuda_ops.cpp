// Every engine op (engine/ops.h) on the CUDA device (emulated here; compiled again into tests/gpu for
// a real GPU, where the sparse products and gemm also run through cuSPARSE/cuBLAS) against the same op on the CPU
// backend, which the kernel tests check against double-precision references. Operands come from
// one host copy; shapes include padded leading dimensions (cols 33, 70), an empty row and alpha/beta.
#include <catch2/catch.hpp>

#include "engine/accumulator.h"
#include "engine/ops.h"
#include "twin_devices.h"

using engine::Activation;
using engine::SparseMatrix;
using engine::Tensor;
using twin::kCpu;
using twin::kCuda;

namespace {

// One operand on both devices.
struct TwinTensor {
  Tensor cuda, cpu;
  TwinTensor(std::int64_t rows, std::int64_t cols, std::uint64_t seed)
      : cuda(twin::random_tensor(rows, cols, seed, kCuda)), cpu(twin::random_tensor(rows, cols, seed, kCpu)) {}
};

struct TwinSparse {
  SparseMatrix cuda, cpu;
  TwinSparse(int rows, int cols, double density, std::uint64_t seed)
      : cuda(twin::random_sparse(rows, cols, density, seed, kCuda)),
        cpu(twin::random_sparse(rows, cols, density, seed, kCpu)) {}
};

void check_same(const Tensor& cuda, const Tensor& cpu, testsupport::Tolerance tol) {
  REQUIRE(cuda.rows() == cpu.rows());
  REQUIRE(cuda.cols() == cpu.cols());
  CHECK_CLOSE(cuda.to_host(), twin::widen(cpu.to_host()), tol);
}

constexpr int kItems = 45;  // rows of the sparse operand
constexpr int kUsers = 70;  // its columns
constexpr double kDensity = 0.15;

}  // namespace

TEST_CASE("spmm and spmm_transposed agree with the CPU backend", "[engine_cuda][ops]") {
  const std::string kernels = GENERATE(from_range(twin::selectable_kernel_specs()));
  const std::int64_t k = GENERATE(1, 24, 33);
  const float beta = GENERATE(0.0f, 0.5f);
  CAPTURE(kernels, k, beta);
  const twin::KernelSelection selection(kernels);
  const TwinSparse a(kItems, kUsers, kDensity, 3);
  const TwinTensor b(kUsers, k, 4), bt(kItems, k, 5);
  TwinTensor c(kItems, k, 6), ct(kUsers, k, 7);
  engine::ops::spmm(a.cuda, b.cuda, c.cuda, 0.75f, beta);
  engine::ops::spmm(a.cpu, b.cpu, c.cpu, 0.75f, beta);
  check_same(c.cuda, c.cpu, twin::sum_tolerance(kUsers, 5.0));
  engine::ops::spmm_transposed(a.cuda, bt.cuda, ct.cuda, 1.25f, beta);
  engine::ops::spmm_transposed(a.cpu, bt.cpu, ct.cpu, 1.25f, beta);
  check_same(ct.cuda, ct.cpu, twin::sum_tolerance(kItems, 5.0));

  // The overloads that take separate values (1, nnz).
  const TwinTensor values(1, a.cpu.nnz(), 8);
  engine::ops::spmm(a.cuda, values.cuda, b.cuda, c.cuda);
  engine::ops::spmm(a.cpu, values.cpu, b.cpu, c.cpu);
  check_same(c.cuda, c.cpu, twin::sum_tolerance(kUsers, 1.0));
  engine::ops::spmm_transposed(a.cuda, values.cuda, bt.cuda, ct.cuda);
  engine::ops::spmm_transposed(a.cpu, values.cpu, bt.cpu, ct.cpu);
  check_same(ct.cuda, ct.cpu, twin::sum_tolerance(kItems, 1.0));
}

TEST_CASE("sddmm and the fused sddmm_squared_error agree with the CPU backend", "[engine_cuda][ops]") {
  const std::string kernels = GENERATE(from_range(twin::selectable_kernel_specs()));
  const std::int64_t k = GENERATE(1, 24, 33);
  const Activation f = GENERATE(Activation::Identity, Activation::Sigmoid);
  CAPTURE(kernels, k, static_cast<int>(f));
  const twin::KernelSelection selection(kernels);
  const TwinSparse pattern(kItems, kUsers, kDensity, 9);
  const TwinTensor h(kItems, k, 10), w(kUsers, k, 11), bias(1, kUsers, 12);
  const std::int64_t nnz = pattern.cpu.nnz();
  TwinTensor out(1, nnz, 13), errors(1, nnz, 14), predictions(1, nnz, 15);

  engine::ops::sddmm(pattern.cuda, h.cuda, w.cuda, out.cuda);
  engine::ops::sddmm(pattern.cpu, h.cpu, w.cpu, out.cpu);
  check_same(out.cuda, out.cpu, twin::sum_tolerance(k, 1.0));

  engine::DeviceAccumulator sse_cuda(kCuda), sse_cpu(kCpu);
  engine::ops::sddmm_squared_error(pattern.cuda, h.cuda, w.cuda, bias.cuda, f, errors.cuda, predictions.cuda, sse_cuda);
  engine::ops::sddmm_squared_error(pattern.cpu, h.cpu, w.cpu, bias.cpu, f, errors.cpu, predictions.cpu, sse_cpu);
  check_same(errors.cuda, errors.cpu, twin::sum_tolerance(k, 5.0));
  check_same(predictions.cuda, predictions.cpu, twin::sum_tolerance(k, 1.0));
  CHECK(sse_cuda.read() == Approx(sse_cpu.read()).epsilon(1e-5));
}

TEST_CASE("bias + activation forward and backward agree with the CPU backend", "[engine_cuda][ops]") {
  const auto [name, g] = GENERATE(from_range(engine::kActivationNames.begin(), engine::kActivationNames.end()));
  CAPTURE(name);
  TwinTensor z(17, 33, 20), h(17, 33, 21), dz(17, 33, 22);
  const TwinTensor bias(1, 33, 23), dh(17, 33, 24);
  engine::ops::bias_activation_forward(z.cuda, bias.cuda, g, h.cuda);
  engine::ops::bias_activation_forward(z.cpu, bias.cpu, g, h.cpu);
  const auto tol = testsupport::fp32_elementwise_tolerance(1e-6);
  check_same(z.cuda, z.cpu, tol);
  check_same(h.cuda, h.cpu, tol);
  engine::ops::activation_backward(z.cuda, dh.cuda, g, dz.cuda);
  engine::ops::activation_backward(z.cpu, dh.cpu, g, dz.cpu);
  check_same(dz.cuda, dz.cpu, tol);
}

TEST_CASE("dropout draws the same mask on both devices", "[engine_cuda][ops]") {
  const TwinTensor in(19, 40, 30);
  TwinTensor out(19, 40, 31);
  engine::ops::dropout(in.cuda, out.cuda, 0.3f, 1234);
  engine::ops::dropout(in.cpu, out.cpu, 0.3f, 1234);
  check_same(out.cuda, out.cpu, testsupport::fp32_elementwise_tolerance(0.0));
}

TEST_CASE("dense and sparse reductions agree with the CPU backend", "[engine_cuda][ops]") {
  const TwinTensor a(kItems, 33, 40);
  TwinTensor cols(1, 33, 41), row(1, kItems, 42);
  engine::ops::column_sums(a.cuda, cols.cuda, 2.0f, 0.5f);
  engine::ops::column_sums(a.cpu, cols.cpu, 2.0f, 0.5f);
  check_same(cols.cuda, cols.cpu, twin::sum_tolerance(kItems, 2.0));
  engine::ops::row_sums(a.cuda, row.cuda, 1.0f, 0.0f);
  engine::ops::row_sums(a.cpu, row.cpu, 1.0f, 0.0f);
  check_same(row.cuda, row.cpu, twin::sum_tolerance(33, 1.0));

  const TwinSparse s(kItems, kUsers, kDensity, 43);
  const TwinTensor values(1, s.cpu.nnz(), 44);
  TwinTensor sparse_cols(1, kUsers, 45), sparse_rows(1, kItems, 46);
  engine::ops::sparse_column_sums(s.cuda, values.cuda, sparse_cols.cuda, 1.0f, 1.0f);
  engine::ops::sparse_column_sums(s.cpu, values.cpu, sparse_cols.cpu, 1.0f, 1.0f);
  check_same(sparse_cols.cuda, sparse_cols.cpu, twin::sum_tolerance(kItems, 1.0));
  engine::ops::sparse_row_sums(s.cuda, values.cuda, sparse_rows.cuda, -1.0f, 0.0f);
  engine::ops::sparse_row_sums(s.cpu, values.cpu, sparse_rows.cpu, -1.0f, 0.0f);
  check_same(sparse_rows.cuda, sparse_rows.cpu, twin::sum_tolerance(kUsers, 1.0));

  engine::DeviceAccumulator squares_cuda(kCuda), squares_cpu(kCpu);
  engine::ops::sum_of_squares(a.cuda, squares_cuda);
  engine::ops::sum_of_squares(a.cpu, squares_cpu);
  CHECK(squares_cuda.read() == Approx(squares_cpu.read()).epsilon(1e-6));
}

TEST_CASE("gemm agrees with the CPU backend for every transpose combination", "[engine_cuda][ops]") {
  const std::string kernels = GENERATE(from_range(twin::selectable_kernel_specs()));  // FP32 cuBLAS when vendor
  const bool ta = GENERATE(false, true);
  const bool tb = GENERATE(false, true);
  CAPTURE(kernels, ta, tb);
  const twin::KernelSelection selection(kernels);
  const std::int64_t m = 21, n = 35, k = 40;
  const TwinTensor a(ta ? k : m, ta ? m : k, 50), b(tb ? n : k, tb ? k : n, 51);
  TwinTensor c(m, n, 52);
  engine::ops::gemm(ta, tb, 0.5f, a.cuda, b.cuda, 2.0f, c.cuda);
  engine::ops::gemm(ta, tb, 0.5f, a.cpu, b.cpu, 2.0f, c.cpu);
  check_same(c.cuda, c.cpu, twin::sum_tolerance(k, 2.0));
}

TEST_CASE("fill, scale, axpy and copy agree with the CPU backend", "[engine_cuda][ops]") {
  TwinTensor x(9, 70, 60), y(9, 70, 61);
  engine::ops::scale(x.cuda, -1.5f);
  engine::ops::scale(x.cpu, -1.5f);
  engine::ops::axpy(0.25f, x.cuda, y.cuda);
  engine::ops::axpy(0.25f, x.cpu, y.cpu);
  const auto tol = testsupport::fp32_elementwise_tolerance(1e-6);
  check_same(y.cuda, y.cpu, tol);
  engine::ops::fill(x.cuda, 3.5f);
  engine::ops::fill(x.cpu, 3.5f);
  check_same(x.cuda, x.cpu, testsupport::kExact);
  // copy across devices, both ways, and within the device.
  Tensor from_cpu(9, 70, kCuda), back(9, 70, kCpu), within(9, 70, kCuda);
  engine::ops::copy(y.cpu, from_cpu);
  engine::ops::copy(from_cpu, back);
  engine::ops::copy(from_cpu, within);
  check_same(within, y.cpu, testsupport::kExact);
  check_same(back, y.cpu, testsupport::kExact);
}

TEST_CASE("empty operands are no-ops on the CUDA device", "[engine_cuda][ops]") {
  const std::string kernels = GENERATE(from_range(twin::selectable_kernel_specs()));  // vendor falls back to ours
  CAPTURE(kernels);
  const twin::KernelSelection selection(kernels);
  const SparseMatrix empty = twin::random_sparse(4, 6, 0.0, 70, kCuda);
  REQUIRE(empty.nnz() == 0);
  const Tensor b = twin::random_tensor(6, 8, 71, kCuda);
  Tensor c = Tensor::zeros(4, 8, kCuda);
  engine::ops::fill(c, 2.0f);
  engine::ops::spmm(empty, b, c, 1.0f, 0.5f);  // C = 0.5 * C
  CHECK(c.to_host() == std::vector<float>(32, 1.0f));
}

TEST_CASE("every given operand must be on the op's device", "[engine_cuda][ops]") {
  const TwinSparse x(6, 8, 0.4, 91);
  const TwinTensor h(6, 5, 92), w(8, 5, 93), host_bias(1, 8, 94);
  Tensor errors = Tensor::zeros(1, x.cuda.nnz(), kCuda);
  Tensor host_errors = Tensor::zeros(1, x.cuda.nnz(), kCpu);
  engine::DeviceAccumulator sse(kCuda);
  CHECK_THROWS_WITH(engine::ops::sddmm_squared_error(x.cuda, h.cuda, w.cuda, host_bias.cpu, Activation::Identity,
                                                     errors, engine::TensorView(), sse),
                    Catch::Contains("bias is on cpu"));
  CHECK_THROWS_WITH(engine::ops::sddmm_squared_error(x.cuda, h.cuda, w.cuda, engine::ConstTensorView(),
                                                     Activation::Identity, host_errors, engine::TensorView(), sse),
                    Catch::Contains("errors is on cpu"));
  Tensor z = Tensor::zeros(6, 8, kCuda);
  CHECK_THROWS_WITH(engine::ops::bias_activation_forward(z, host_bias.cpu, Activation::Sigmoid, z),
                    Catch::Contains("bias is on cpu"));
}
