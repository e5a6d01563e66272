// Bad inputs throw kernels::Error with a message instead of crashing.
#include <catch2/catch.hpp>

#include "kernels/check.h"
#include "kernels/cpu.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"

using namespace testsupport;
using kernels::Error;
using kernels::MatrixView;
namespace cpu = kernels::cpu;

namespace {

// A 3 x 4 sparse matrix with 3 nonzeros.
HostCsr small_sparse() { return HostCsr::from_triplets(3, 4, {{0, 1, 1.0f}, {1, 3, 2.0f}, {2, 0, 3.0f}}); }

}  // namespace

TEST_CASE("sparse products reject mismatched shapes and broken views", "[preconditions]") {
  const HostCsr a = small_sparse();
  const HostMatrix b(4, 8);
  HostMatrix c(3, 8);
  HostMatrix wrong_rows(5, 8);
  HostMatrix wrong_cols(3, 7);
  CHECK_THROWS_AS(cpu::spmm(a.pattern(), a.values.data(), wrong_rows.view(), c.view()), Error);  // B rows != n
  CHECK_THROWS_AS(cpu::spmm(a.pattern(), a.values.data(), b.view(), wrong_cols.view()), Error);  // C cols != k
  CHECK_THROWS_AS(cpu::spmm(a.pattern(), nullptr, b.view(), c.view()), Error);                   // no values
  CHECK_THROWS_AS(cpu::spmm_transposed(a.csc(), a.values.data(), b.view(), c.view()), Error);    // B must be m x k
  MatrixView<float> short_ld = c.view();
  short_ld.ld = 4;  // ld < cols
  CHECK_THROWS_AS(cpu::spmm(a.pattern(), a.values.data(), b.view(), short_ld), Error);
  MatrixView<float> null_c{nullptr, 3, 8, 8};
  CHECK_THROWS_AS(cpu::spmm(a.pattern(), a.values.data(), b.view(), null_c), Error);
  MatrixView<float> negative{c.data.data(), -1, 8, 8};
  CHECK_THROWS_AS(cpu::spmm(a.pattern(), a.values.data(), b.view(), negative), Error);
  kernels::CsrPattern inconsistent = a.pattern();
  inconsistent.nnz = 2;  // offsets end at 3
  CHECK_THROWS_AS(cpu::spmm(inconsistent, a.values.data(), b.view(), c.view()), Error);
  kernels::CsrPattern negative_rows = a.pattern();
  negative_rows.rows = -1;
  CHECK_THROWS_AS(cpu::sparse_row_sums(negative_rows, a.values.data(), c.data.data()), Error);
}

TEST_CASE("sddmm and the output layer reject mismatched operands", "[preconditions]") {
  const HostCsr a = small_sparse();
  const HostMatrix h(3, 8), w(4, 8), w_other_k(4, 9), w_wrong_rows(3, 8);
  std::vector<float> out(3), ratings(3);
  CHECK_THROWS_AS(cpu::sddmm(a.pattern(), h.view(), w_other_k.view(), out.data()), Error);
  CHECK_THROWS_AS(cpu::sddmm(a.pattern(), h.view(), w_wrong_rows.view(), out.data()), Error);
  CHECK_THROWS_AS(cpu::sddmm(a.pattern(), h.view(), w.view(), nullptr), Error);
  CHECK_THROWS_AS(cpu::sddmm_squared_error(a.pattern(), h.view(), w.view(), nullptr, nullptr,
                                           kernels::Activation::Identity, out.data(), nullptr),
                  Error);  // no ratings
}

TEST_CASE("dense kernels reject bad shapes, rates and hyper-parameters", "[preconditions]") {
  HostMatrix x(4, 6), y(4, 5), big(6, 4);
  std::vector<float> buffer(24);
  CHECK_THROWS_AS(cpu::dropout(x.view(), x.view(), 1.0f, 1), Error);   // p = 1 would divide by zero
  CHECK_THROWS_AS(cpu::dropout(x.view(), x.view(), -0.1f, 1), Error);  // p < 0
  CHECK_THROWS_AS(cpu::dropout(x.view(), y.view(), 0.5f, 1), Error);   // shape mismatch
  CHECK_THROWS_AS(cpu::dropout_values(buffer.data(), buffer.data(), 24, 1.5f, 1), Error);
  CHECK_THROWS_AS(cpu::bias_activation_forward(x.view(), nullptr, kernels::Activation::Sigmoid, x.view()), Error);
  CHECK_THROWS_AS(cpu::activation_backward(x.view(), y.view(), kernels::Activation::Relu, x.view()), Error);
  CHECK_THROWS_AS(cpu::gemm(false, false, 1.0f, x.view(), x.view(), 0.0f, y.view()), Error);    // 4x6 . 4x6
  CHECK_THROWS_AS(cpu::gemm(false, false, 1.0f, x.view(), big.view(), 0.0f, y.view()), Error);  // C must be 4x4
  CHECK_THROWS_AS(cpu::fill(buffer.data(), -1, 0.0f), Error);
  CHECK_THROWS_AS(cpu::fill(nullptr, 3, 0.0f), Error);
  CHECK_THROWS_AS(cpu::sum_of_squares(nullptr, 3), Error);
  CHECK_THROWS_AS(cpu::column_sums(x.view(), nullptr), Error);

  kernels::AdamParams adam;
  adam.step = 0;  // steps count from 1
  CHECK_THROWS_AS(cpu::adam_update(buffer.data(), buffer.data(), buffer.data(), buffer.data(), 24, adam), Error);
  kernels::SgdParams sgd;
  sgd.momentum = 0.9f;  // momentum without a velocity buffer
  CHECK_THROWS_AS(cpu::sgd_update(buffer.data(), buffer.data(), nullptr, 24, sgd), Error);
  kernels::RpropParams rprop;
  rprop.eta_minus = 1.5f;
  CHECK_THROWS_AS(cpu::rprop_update(buffer.data(), buffer.data(), buffer.data(), buffer.data(), 24, rprop), Error);
}

TEST_CASE("the error message names the condition", "[preconditions]") {
  const HostMatrix x(2, 3);
  try {
    cpu::dropout(x.view(), HostMatrix(2, 3).view(), 1.0f, 1);
    FAIL("no exception");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("dropout rate"));
  }
}
