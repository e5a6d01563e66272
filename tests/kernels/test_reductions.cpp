// Dense and sparse row/column sums with alpha/beta, the double-precision scalar sums, and their
// independence of the OpenMP thread count.
#include <omp.h>

#include <functional>

#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"
#include "testsupport/problems.h"
#include "testsupport/reference.h"

using namespace testsupport;

namespace {

const std::pair<float, float> kAlphaBeta[] = {{1.0f, 0.0f}, {0.5f, 1.0f}, {-2.0f, 0.25f}};

struct Shape {
  std::int64_t rows, cols, ld_padding;
};
// Empty, one column, a width crossing the 64-column tiles with padding, and a tall parallel one.
const Shape kShapes[] = {{0, 4, 0}, {5, 0, 0}, {13, 1, 0}, {21, 130, 7}, {2000, 70, 0}};

// Runs f with the OpenMP team size set to `threads`, restoring the previous setting.
template <class F>
auto with_threads(int threads, F&& f) {
  const int previous = omp_get_max_threads();
  omp_set_num_threads(threads);
  auto result = f();
  omp_set_num_threads(previous);
  return result;
}

}  // namespace

TEST_CASE("column_sums and row_sums match the reference, with alpha and beta", "[reductions]") {
  for (const Shape& s : kShapes) {
    for (const bool integer : {false, true}) {
      for (const auto& [alpha, beta] : kAlphaBeta) {
        INFO(s.rows << " x " << s.cols << ", integer " << integer << ", alpha " << alpha << ", beta " << beta);
        const Fill fill = integer ? Fill::Integer : Fill::Uniform;
        const HostMatrix a = HostMatrix::random(s.rows, s.cols, 40, fill, s.ld_padding);
        std::vector<float> col_out = random_vector(s.cols, 41, fill);
        std::vector<float> row_out = random_vector(s.rows, 42, fill);
        const std::vector<double> col_expected = column_sums_reference(a.view(), col_out.data(), alpha, beta);
        const std::vector<double> row_expected = row_sums_reference(a.view(), row_out.data(), alpha, beta);
        kernels::cpu::column_sums(a.view(), col_out.data(), alpha, beta);
        kernels::cpu::row_sums(a.view(), row_out.data(), alpha, beta);
        // The kernels sum in double and round once: a few ulps of |alpha * sum| + |beta * out|.
        const Tolerance tol = integer ? kExact : fp32_sum_tolerance(2, 1.0);
        CHECK_CLOSE(col_out, col_expected, tol);
        CHECK_CLOSE(row_out, row_expected, tol);
      }
    }
  }
}

TEST_CASE("sparse_column_sums (CSC) and sparse_row_sums (CSR) match the reference on every problem", "[reductions]") {
  for (const SparseProblem& base : sparse_problems()) {
    const SparseProblem problem = integer_valued(base);
    const HostCsr a = HostCsr::random(problem.spec);
    for (const auto& [alpha, beta] : kAlphaBeta) {
      INFO(problem.name << ", alpha " << alpha << ", beta " << beta);
      std::vector<float> col_out = random_vector(a.cols(), 43, Fill::Integer);
      std::vector<float> row_out = random_vector(a.rows(), 44, Fill::Integer);
      const auto col_expected = sparse_column_sums_reference(a.pattern(), a.values.data(), col_out.data(), alpha, beta);
      const auto row_expected = sparse_row_sums_reference(a.pattern(), a.values.data(), row_out.data(), alpha, beta);
      kernels::cpu::sparse_column_sums(a.csc(), a.values.data(), col_out.data(), alpha, beta);
      kernels::cpu::sparse_row_sums(a.pattern(), a.values.data(), row_out.data(), alpha, beta);
      CHECK_CLOSE(col_out, col_expected, kExact);
      CHECK_CLOSE(row_out, row_expected, kExact);
    }
  }
}

TEST_CASE("sum_of_squares and squared_error accumulate in double", "[reductions]") {
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{1}, std::int64_t{1000}, std::int64_t{300001}}) {
    INFO("n = " << n);
    const std::vector<float> x = random_vector(n, 50);
    const std::vector<float> y = random_vector(n, 51);
    CHECK(kernels::cpu::sum_of_squares(x.data(), n) == Approx(sum_of_squares_reference(x.data(), n)).epsilon(1e-12));
    std::vector<float> grad(static_cast<std::size_t>(n));
    const double error = kernels::cpu::squared_error(x.data(), y.data(), n, grad.data());
    // x - y is rounded to float before squaring: relative error up to ~2^-24 per term.
    CHECK(error == Approx(squared_error_reference(x.data(), y.data(), n)).epsilon(1e-6));
    std::vector<double> expected_grad(grad.size());
    for (std::size_t i = 0; i < grad.size(); ++i) expected_grad[i] = static_cast<double>(x[i]) - y[i];
    CHECK_CLOSE(grad, expected_grad, fp32_elementwise_tolerance(0.0));
    // Documented aliasing: grad may be x itself; null grad only returns the sum.
    std::vector<float> x_copy = x;
    CHECK(kernels::cpu::squared_error(x_copy.data(), y.data(), n, x_copy.data()) == error);
    CHECK_CLOSE(x_copy, expected_grad, fp32_elementwise_tolerance(0.0));
    CHECK(kernels::cpu::squared_error(x.data(), y.data(), n, nullptr) == error);
  }
}

TEST_CASE("double reductions give the same bits for 1, 2 and 3 threads", "[reductions][determinism]") {
  const std::int64_t n = 1'000'003;
  const std::vector<float> x = random_vector(n, 60);
  const std::vector<float> y = random_vector(n, 61);
  SparseProblem problem = find_problem("many rows (2000)");
  problem.spec.density = 0.2;  // ~60k nonzeros: dozens of chunks
  const HostCsr a = HostCsr::random(problem.spec);
  const HostMatrix h = HostMatrix::random(a.rows(), problem.k, 62);
  const HostMatrix w = HostMatrix::random(a.cols(), problem.k, 63);
  const std::vector<float> ratings = random_vector(a.nnz(), 64);
  std::vector<float> errors(ratings.size());
  const std::function<double()> sums[] = {
      [&] { return kernels::cpu::sum_of_squares(x.data(), n); },
      [&] { return kernels::cpu::squared_error(x.data(), y.data(), n, nullptr); },
      [&] {
        return kernels::cpu::sddmm_squared_error(a.pattern(), h.view(), w.view(), nullptr, ratings.data(),
                                                 kernels::Activation::Sigmoid, errors.data(), nullptr);
      },
  };
  for (const auto& sum : sums) {
    const double one = with_threads(1, sum);
    CHECK(with_threads(2, sum) == one);
    CHECK(with_threads(3, sum) == one);
  }
}
