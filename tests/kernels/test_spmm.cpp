// spmm and spmm_transposed over the shared problem table, float and integer-valued, with alpha/beta.
#include <cmath>
#include <limits>
#include <utility>

#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"
#include "testsupport/problems.h"
#include "testsupport/reference.h"

namespace {

using namespace testsupport;

// (alpha, beta) pairs: plain product, accumulate, and scaled blend (dyadic: exact on integers).
const std::pair<float, float> kAlphaBeta[] = {{1.0f, 0.0f}, {1.0f, 1.0f}, {-0.5f, 0.25f}};

// Runs `kernel(a, b, c, alpha, beta)` against `reference(...)` for every problem, float and integer.
// out_rows(a) is the output's row count, in_rows(a) the dense input's.
template <class Kernel, class Reference, class OutRows, class InRows>
void check_sparse_product(Kernel&& kernel, Reference&& reference, OutRows&& out_rows, InRows&& in_rows) {
  for (const SparseProblem& base : sparse_problems()) {
    for (const bool integer : {false, true}) {
      const SparseProblem problem = integer ? integer_valued(base) : base;
      const Fill fill = integer ? Fill::Integer : Fill::Uniform;
      const HostCsr a = HostCsr::random(problem.spec);
      const HostMatrix b = HostMatrix::random(in_rows(a), problem.k, 100, fill, problem.ld_padding);
      for (const auto& [alpha, beta] : kAlphaBeta) {
        INFO(problem.name << ", alpha " << alpha << ", beta " << beta);
        HostMatrix c = HostMatrix::random(out_rows(a), problem.k, 101, fill, problem.ld_padding);
        const std::vector<double> expected = reference(a, b.view(), c.view(), alpha, beta);
        kernel(a, b.view(), c.view(), alpha, beta);
        // Each output element sums max_row_length products of values in [-1, 1], plus beta * C.
        const Tolerance tol = integer ? kExact : fp32_sum_tolerance(a.max_row_length() + 1);
        CHECK_CLOSE(c.view(), expected, tol);
        CHECK(c.padding_untouched());
      }
    }
  }
}

}  // namespace

TEST_CASE("spmm matches the double reference on every problem", "[spmm]") {
  check_sparse_product([](const HostCsr& a, ConstView b, kernels::MatrixView<float> c, float alpha,
                          float beta) { kernels::cpu::spmm(a.pattern(), a.values.data(), b, c, alpha, beta); },
                       [](const HostCsr& a, ConstView b, ConstView c, float alpha, float beta) {
                         return spmm_reference(a.pattern(), a.values.data(), b, c, alpha, beta);
                       },
                       [](const HostCsr& a) { return a.rows(); }, [](const HostCsr& a) { return a.cols(); });
}

TEST_CASE("spmm_transposed (through the CSC twin) matches the CSR scatter reference", "[spmm]") {
  check_sparse_product([](const HostCsr& a, ConstView b, kernels::MatrixView<float> c, float alpha,
                          float beta) { kernels::cpu::spmm_transposed(a.csc(), a.values.data(), b, c, alpha, beta); },
                       [](const HostCsr& a, ConstView b, ConstView c, float alpha, float beta) {
                         return spmm_transposed_reference(a.pattern(), a.values.data(), b, c, alpha, beta);
                       },
                       [](const HostCsr& a) { return a.cols(); }, [](const HostCsr& a) { return a.rows(); });
}

TEST_CASE("spmm with beta = 0 overwrites NaNs in C, empty rows give zero", "[spmm]") {
  // Row 1 is empty; row 0 has (0,0)=2, (0,2)=-1.
  const HostCsr a = HostCsr::from_triplets(3, 3, {{0, 0, 2.0f}, {0, 2, -1.0f}, {2, 1, 3.0f}});
  const HostMatrix b = HostMatrix::random(3, 5, 7, Fill::Integer);
  HostMatrix c(3, 5);
  for (float& x : c.data) x = std::numeric_limits<float>::quiet_NaN();
  kernels::cpu::spmm(a.pattern(), a.values.data(), b.view(), c.view());
  for (std::int64_t j = 0; j < 5; ++j) {
    CHECK(c(0, j) == 2.0f * b(0, j) - b(2, j));
    CHECK(c(1, j) == 0.0f);
    CHECK(c(2, j) == 3.0f * b(1, j));
  }
}
