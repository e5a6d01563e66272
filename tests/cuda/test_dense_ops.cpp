// The dense CUDA kernels (bias + activation and its backward, dropout, row/column and sparse sums,
// the double-precision sums, GEMM), run through the SIMT emulation, against the double references.
// Shapes are chosen to span several blocks and partial warps, and most use a padded leading dimension
// (whose NaN sentinels catch out-of-row accesses).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <vector>

#include "device_data.h"
#include "kernels/cpu.h"
#include "kernels/cuda.h"
#include "testsupport/catch_close.h"
#include "testsupport/problems.h"
#include "testsupport/reference.h"

namespace {

using cudatest::DeviceArray;
using cudatest::DeviceMatrix;
using kernels::Activation;
using testsupport::Fill;
using testsupport::HostMatrix;

struct Shape {
  std::int64_t rows;
  std::int64_t cols;
  std::int64_t ld_padding;
};
// One row, a partial warp (37), several 32 x 8 blocks with an odd ld, and more rows than one grid-y chunk.
constexpr Shape kShapes[] = {{1, 1, 0}, {3, 37, 3}, {70, 45, 5}, {300, 16, 0}};


// Bit-for-bit equality of the elements inside the rows (the padding holds NaN sentinels).
bool same_bits(const HostMatrix& x, const HostMatrix& y) {
  if (x.rows != y.rows || x.cols != y.cols) return false;
  for (std::int64_t i = 0; i < x.rows; ++i) {
    if (std::memcmp(&x.data[i * x.ld], &y.data[i * y.ld], x.cols * sizeof(float)) != 0) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("cuda bias_activation_forward and activation_backward match the reference", "[simt][elementwise]") {
  for (const Shape s : kShapes) {
    for (const Activation g : kernels::kAllActivations) {
      INFO(s.rows << " x " << s.cols << ", activation " << static_cast<int>(g));
      const HostMatrix z = HostMatrix::random(s.rows, s.cols, 1, Fill::Uniform, s.ld_padding);
      const HostMatrix dh = HostMatrix::random(s.rows, s.cols, 2, Fill::Uniform, s.ld_padding);
      const std::vector<float> bias = testsupport::random_vector(s.cols, 3);
      const DeviceMatrix device_z(z);
      const DeviceMatrix device_h(HostMatrix(s.rows, s.cols, s.ld_padding));
      const DeviceArray<float> device_bias(bias);
      kernels::cuda::bias_activation_forward(device_z.view(), device_bias.data(), g, device_h.view(), nullptr);
      const testsupport::BiasActivationReference forward =
          testsupport::bias_activation_reference(z.view(), bias.data(), g);
      const HostMatrix z_after = device_z.download(z);
      CHECK_CLOSE(z_after.view(), forward.z, testsupport::fp32_elementwise_tolerance());
      CHECK_CLOSE(device_h.download(HostMatrix(s.rows, s.cols, s.ld_padding)).view(), forward.h,
                  testsupport::fp32_elementwise_tolerance());

      const DeviceMatrix device_dh(dh);
      const DeviceMatrix device_dz(HostMatrix(s.rows, s.cols, s.ld_padding));
      kernels::cuda::activation_backward(device_z.cview(), device_dh.cview(), g, device_dz.view(), nullptr);
      const HostMatrix dz = device_dz.download(HostMatrix(s.rows, s.cols, s.ld_padding));
      CHECK_CLOSE(dz.view(), testsupport::activation_backward_reference(z_after.view(), dh.view(), g),
                  testsupport::fp32_elementwise_tolerance());
      CHECK(dz.padding_untouched());
    }
  }
}

TEST_CASE("cuda dropout draws the same mask as the CPU kernel", "[simt][elementwise]") {
  for (const float p : {0.0f, 0.25f, 0.9f}) {
    INFO("p = " << p);
    const HostMatrix in = HostMatrix::random(50, 37, 4, Fill::Uniform, 3);
    const DeviceMatrix device_in(in);
    const DeviceMatrix device_out(HostMatrix(50, 37, 3));
    kernels::cuda::dropout(device_in.cview(), device_out.view(), p, 1234, nullptr);
    HostMatrix cpu_out(50, 37, 3);
    kernels::cpu::dropout(in.view(), cpu_out.view(), p, 1234);
    const HostMatrix out = device_out.download(HostMatrix(50, 37, 3));
    CHECK(same_bits(out, cpu_out));  // both draw from kernels/random.h
    CHECK_CLOSE(out.view(), testsupport::dropout_reference(in.view(), p, 1234),
                testsupport::fp32_elementwise_tolerance(0.0));

    const std::vector<float> values = testsupport::random_vector(3001, 5);
    const DeviceArray<float> device_values(values);
    DeviceArray<float> dropped(values.size());
    kernels::cuda::dropout_values(device_values.data(), dropped.data(), 3001, p, 99, nullptr);
    std::vector<float> cpu_dropped(values.size());
    kernels::cpu::dropout_values(values.data(), cpu_dropped.data(), 3001, p, 99);
    CHECK(dropped.download() == cpu_dropped);
  }
}

TEST_CASE("cuda dense row and column sums match the reference", "[simt][reductions]") {
  for (const Shape s : kShapes) {
    for (const float beta : {0.0f, 0.5f}) {
      INFO(s.rows << " x " << s.cols << ", beta " << beta);
      const HostMatrix a = HostMatrix::random(s.rows, s.cols, 6, Fill::Uniform, s.ld_padding);
      const std::vector<float> row_in = testsupport::random_vector(s.rows, 7);
      const std::vector<float> col_in = testsupport::random_vector(s.cols, 8);
      const DeviceMatrix device_a(a);
      DeviceArray<float> rows(row_in);
      DeviceArray<float> cols(col_in);
      kernels::cuda::row_sums(device_a.cview(), rows.data(), 2.0f, beta, nullptr);
      kernels::cuda::column_sums(device_a.cview(), cols.data(), 2.0f, beta, nullptr);
      CHECK_CLOSE(rows.download(), testsupport::row_sums_reference(a.view(), row_in.data(), 2.0f, beta),
                  testsupport::fp32_sum_tolerance(s.cols + 1, 2.0));
      CHECK_CLOSE(cols.download(), testsupport::column_sums_reference(a.view(), col_in.data(), 2.0f, beta),
                  testsupport::fp32_sum_tolerance(s.rows + 1, 2.0));
    }
  }
}

TEST_CASE("cuda sparse row and column sums match the reference", "[simt][reductions]") {
  for (const testsupport::SparseProblem& problem : testsupport::sparse_problems()) {
    INFO(problem.name);
    const testsupport::HostCsr a = testsupport::HostCsr::random(testsupport::integer_valued(problem).spec);
    const std::vector<float> row_in = testsupport::random_vector(a.rows(), 9, Fill::Integer);
    const std::vector<float> col_in = testsupport::random_vector(a.cols(), 10, Fill::Integer);
    const cudatest::DeviceSparse device_a(a);
    DeviceArray<float> rows(row_in);
    DeviceArray<float> cols(col_in);
    kernels::cuda::sparse_row_sums(device_a.pattern(), device_a.values.data(), rows.data(), 1.0f, -1.0f, nullptr);
    kernels::cuda::sparse_column_sums(device_a.csc(), device_a.values.data(), cols.data(), 1.0f, -1.0f, nullptr);
    // Integer values: every sum is exact.
    CHECK_CLOSE(rows.download(),
                testsupport::sparse_row_sums_reference(a.pattern(), a.values.data(), row_in.data(), 1.0f, -1.0f),
                testsupport::kExact);
    CHECK_CLOSE(cols.download(),
                testsupport::sparse_column_sums_reference(a.pattern(), a.values.data(), col_in.data(), 1.0f, -1.0f),
                testsupport::kExact);
  }
}

TEST_CASE("cuda sum_of_squares and squared_error add to the device double", "[simt][reductions]") {
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{1}, std::int64_t{1000}, std::int64_t{300001}}) {
    INFO("n = " << n);
    const std::vector<float> x = testsupport::random_vector(n, 11);
    const std::vector<float> y = testsupport::random_vector(n, 12);
    const DeviceArray<float> device_x(x);
    const DeviceArray<float> device_y(y);
    DeviceArray<float> grad(x.size());
    const DeviceArray<double> squares = cudatest::device_scalar(0.25);
    const DeviceArray<double> errors = cudatest::device_scalar(-1.0);
    kernels::cuda::sum_of_squares(device_x.data(), n, squares.data(), nullptr);
    kernels::cuda::squared_error(device_x.data(), device_y.data(), n, grad.data(), errors.data(), nullptr);
    const double expected_squares = 0.25 + testsupport::sum_of_squares_reference(x.data(), n);
    const double expected_errors = -1.0 + testsupport::squared_error_reference(x.data(), y.data(), n);
    CHECK(cudatest::read_scalar(squares) == Approx(expected_squares).epsilon(1e-12));
    // The reference squares double differences; the kernels (CPU and CUDA) square float ones.
    CHECK(cudatest::read_scalar(errors) == Approx(expected_errors).epsilon(1e-6));
    std::vector<double> expected_grad(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) expected_grad[i] = static_cast<double>(x[i] - y[i]);
    CHECK_CLOSE(grad.download(), expected_grad, testsupport::kExact);
  }
}

TEST_CASE("cuda gemm matches the reference for every transpose and odd shapes", "[simt][gemm]") {
  struct GemmShape {
    std::int64_t m, n, k, ld_padding;
  };
  // Partial tiles in every dimension, k = 0 (C = beta C), and one shape spanning 2 x 3 blocks.
  constexpr GemmShape kGemmShapes[] = {{1, 1, 1, 0}, {70, 130, 33, 3}, {5, 9, 0, 1}, {64, 64, 16, 0}};
  for (const GemmShape s : kGemmShapes) {
    for (const bool ta : {false, true}) {
      for (const bool tb : {false, true}) {
        INFO(s.m << " x " << s.n << " x " << s.k << ", transpose " << ta << tb);
        const HostMatrix a = ta ? HostMatrix::random(s.k, s.m, 13, Fill::Integer, s.ld_padding)
                                : HostMatrix::random(s.m, s.k, 13, Fill::Integer, s.ld_padding);
        const HostMatrix b = tb ? HostMatrix::random(s.n, s.k, 14, Fill::Integer, s.ld_padding)
                                : HostMatrix::random(s.k, s.n, 14, Fill::Integer, s.ld_padding);
        const HostMatrix c_in = HostMatrix::random(s.m, s.n, 15, Fill::Integer, s.ld_padding);
        const DeviceMatrix device_a(a);
        const DeviceMatrix device_b(b);
        const DeviceMatrix device_c(c_in);
        kernels::cuda::gemm(ta, tb, 0.5f, device_a.cview(), device_b.cview(), 2.0f, device_c.view(), nullptr);
        const HostMatrix c = device_c.download(c_in);
        CHECK_CLOSE(c.view(), testsupport::gemm_reference(ta, tb, 0.5f, a.view(), b.view(), 2.0f, c_in.view()),
                    testsupport::kExact);  // integer inputs: exact
        CHECK(c.padding_untouched());
      }
    }
  }
}
