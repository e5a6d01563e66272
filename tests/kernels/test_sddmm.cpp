// sddmm and the fused output layer sddmm_squared_error over the problem table.
#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"
#include "testsupport/problems.h"
#include "testsupport/reference.h"

using namespace testsupport;
using kernels::Activation;

TEST_CASE("sddmm matches the double reference on every problem", "[sddmm]") {
  for (const SparseProblem& base : sparse_problems()) {
    for (const bool integer : {false, true}) {
      const SparseProblem problem = integer ? integer_valued(base) : base;
      INFO(problem.name);
      const Fill fill = integer ? Fill::Integer : Fill::Uniform;
      const HostCsr pattern = HostCsr::random(problem.spec);
      const HostMatrix a = HostMatrix::random(pattern.rows(), problem.k, 200, fill, problem.ld_padding);
      const HostMatrix b = HostMatrix::random(pattern.cols(), problem.k, 201, fill, problem.ld_padding);
      std::vector<float> out(static_cast<std::size_t>(pattern.nnz()), -1.0f);
      kernels::cpu::sddmm(pattern.pattern(), a.view(), b.view(), out.data());
      const Tolerance tol = integer ? kExact : fp32_sum_tolerance(problem.k);
      CHECK_CLOSE(out, sddmm_reference(pattern.pattern(), a.view(), b.view()), tol);
    }
  }
}

TEST_CASE("sddmm_squared_error: errors, predictions and loss match the reference", "[sddmm]") {
  const Activation activations[] = {Activation::Identity, Activation::Sigmoid, Activation::Tanh};
  for (const SparseProblem& problem : sparse_problems()) {
    const HostCsr pattern = HostCsr::random(problem.spec);
    const HostMatrix h = HostMatrix::random(pattern.rows(), problem.k, 300, Fill::Uniform, problem.ld_padding);
    const HostMatrix w = HostMatrix::random(pattern.cols(), problem.k, 301, Fill::Uniform, problem.ld_padding);
    const std::vector<float> bias = random_vector(pattern.cols(), 302);
    const std::vector<float> ratings = random_vector(pattern.nnz(), 303);
    for (const Activation f : activations) {
      for (const bool with_bias : {false, true}) {
        INFO(problem.name << ", activation " << static_cast<int>(f) << ", bias " << with_bias);
        const float* b = with_bias ? bias.data() : nullptr;
        std::vector<float> errors(ratings.size()), predictions(ratings.size());
        const double loss = kernels::cpu::sddmm_squared_error(pattern.pattern(), h.view(), w.view(), b, ratings.data(),
                                                              f, errors.data(), predictions.data());
        const OutputLayerReference ref =
            sddmm_squared_error_reference(pattern.pattern(), h.view(), w.view(), b, ratings.data(), f);
        // The dot product's rounding (k terms) dominates; activations add a few ulps.
        const Tolerance tol = fp32_sum_tolerance(problem.k + 8);
        CHECK_CLOSE(predictions, ref.predictions, tol);
        CHECK_CLOSE(errors, ref.errors, tol);
        CHECK(loss == Approx(ref.loss).epsilon(1e-5).margin(1e-9));
      }
    }
  }
}

TEST_CASE("sddmm_squared_error is exact on integer inputs and predictions may be null", "[sddmm]") {
  const SparseProblem problem = integer_valued(find_problem("k = 37"));
  INFO(problem.name);
  const HostCsr pattern = HostCsr::random(problem.spec);
  const HostMatrix h = HostMatrix::random(pattern.rows(), problem.k, 400, Fill::Integer);
  const HostMatrix w = HostMatrix::random(pattern.cols(), problem.k, 401, Fill::Integer);
  const std::vector<float> bias = random_vector(pattern.cols(), 402, Fill::Integer);
  const std::vector<float> ratings = random_vector(pattern.nnz(), 403, Fill::Integer);
  std::vector<float> errors(ratings.size());
  const double loss = kernels::cpu::sddmm_squared_error(pattern.pattern(), h.view(), w.view(), bias.data(),
                                                        ratings.data(), Activation::Identity, errors.data(), nullptr);
  const OutputLayerReference ref = sddmm_squared_error_reference(pattern.pattern(), h.view(), w.view(), bias.data(),
                                                                 ratings.data(), Activation::Identity);
  CHECK_CLOSE(errors, ref.errors, kExact);
  CHECK(loss == ref.loss);
}
