// The sparse CUDA kernels (spmm, spmm_transposed, sddmm, sddmm_squared_error), run on the CPU through
// the SIMT emulation, against the double-precision references over the shared problem table. Every
// problem runs twice: integer-valued (all sums exact in fp32, so the comparison is exact) and with
// uniform values (compared within the fp32 summation tolerance).
#include <algorithm>
#include <cmath>
#include <limits>
#include <catch2/catch.hpp>
#include <vector>

#include "device_data.h"
#include "kernels/cuda.h"
#include "testsupport/catch_close.h"
#include "testsupport/problems.h"
#include "testsupport/reference.h"

namespace {

using cudatest::DeviceArray;
using cudatest::DeviceMatrix;
using cudatest::DeviceSparse;
using testsupport::Fill;
using testsupport::HostCsr;
using testsupport::HostMatrix;
using testsupport::SparseProblem;
using testsupport::Tolerance;

// The table's problems, each also in its integer-valued variant.
std::vector<SparseProblem> both_variants() {
  std::vector<SparseProblem> problems;
  for (const SparseProblem& problem : testsupport::sparse_problems()) {
    problems.push_back(problem);
    problems.push_back(testsupport::integer_valued(problem));
  }
  return problems;
}

Fill fill_for(const SparseProblem& problem) {
  return problem.spec.integer_values ? Fill::Integer : Fill::Uniform;
}

// Exact for integer-valued problems; else the fp32 tolerance of `terms` addends of size <= magnitude.
Tolerance tolerance_for(const SparseProblem& problem, std::int64_t terms, double magnitude = 1.0) {
  return problem.spec.integer_values ? testsupport::kExact : testsupport::fp32_sum_tolerance(terms, magnitude);
}

std::int64_t longest_segment(const std::vector<kernels::offset_t>& offsets) {
  std::int64_t longest = 0;
  for (std::size_t i = 0; i + 1 < offsets.size(); ++i) longest = std::max(longest, offsets[i + 1] - offsets[i]);
  return longest;
}

struct Blend {
  float alpha;
  float beta;
};
// beta = 0 must overwrite C (its previous contents are never read); the second exercises the blend.
constexpr Blend kBlends[] = {{1.0f, 0.0f}, {0.5f, -2.0f}};

// C = alpha * A . B + beta * C (or with A^T) on the device, compared with the reference.
void check_sparse_product(const SparseProblem& problem, bool transposed, Blend blend) {
  const HostCsr a = HostCsr::random(problem.spec);
  const std::int64_t inner = transposed ? a.rows() : a.cols();
  const std::int64_t out_rows = transposed ? a.cols() : a.rows();
  const HostMatrix b = HostMatrix::random(inner, problem.k, 11, fill_for(problem), problem.ld_padding);
  HostMatrix c_in = HostMatrix::random(out_rows, problem.k, 12, fill_for(problem), problem.ld_padding);
  if (blend.beta == 0.0f) {  // beta = 0 must not read C: NaNs there would survive a 0 * C term
    for (std::int64_t i = 0; i < c_in.rows; ++i) {
      for (std::int64_t j = 0; j < c_in.cols; ++j) c_in(i, j) = std::numeric_limits<float>::quiet_NaN();
    }
  }
  const DeviceSparse device_a(a);
  const DeviceMatrix device_b(b);
  const DeviceMatrix device_c(c_in);
  std::vector<double> expected;
  std::int64_t terms = 0;
  if (transposed) {
    kernels::cuda::spmm_transposed(device_a.csc(), device_a.values.data(), device_b.cview(), device_c.view(),
                                   blend.alpha, blend.beta, nullptr);
    expected = testsupport::spmm_transposed_reference(a.pattern(), a.values.data(), b.view(), c_in.view(),
                                                      blend.alpha, blend.beta);
    terms = longest_segment(a.csc_offsets);
  } else {
    kernels::cuda::spmm(device_a.pattern(), device_a.values.data(), device_b.cview(), device_c.view(), blend.alpha,
                        blend.beta, nullptr);
    expected = testsupport::spmm_reference(a.pattern(), a.values.data(), b.view(), c_in.view(), blend.alpha,
                                           blend.beta);
    terms = longest_segment(a.offsets);
  }
  const HostMatrix c = device_c.download(c_in);
  CHECK_CLOSE(c.view(), expected, tolerance_for(problem, terms + 1, 2.0));
  CHECK(c.padding_untouched());
}

}  // namespace

TEST_CASE("cuda spmm matches the reference on every problem", "[simt][spmm]") {
  for (const SparseProblem& problem : both_variants()) {
    for (const Blend blend : kBlends) {
      INFO(problem.name << ", alpha " << blend.alpha << ", beta " << blend.beta);
      check_sparse_product(problem, false, blend);
    }
  }
}

// spmm with long rows split over blocks (scratch given): every problem, plus k = 500 with rows of up to
// ~3,000 nonzeros (several 1,024-nonzero segments per row, four column tiles, float4 lanes).
void check_split_spmm(const HostCsr& a, std::int64_t k, std::int64_t ld_padding, Fill fill, Blend blend,
                      Tolerance tolerance) {
  const HostMatrix b = HostMatrix::random(a.cols(), k, 11, fill, ld_padding);
  HostMatrix c_in = HostMatrix::random(a.rows(), k, 12, fill, ld_padding);
  if (blend.beta == 0.0f) {
    for (std::int64_t i = 0; i < c_in.rows; ++i) {
      for (std::int64_t j = 0; j < c_in.cols; ++j) c_in(i, j) = std::numeric_limits<float>::quiet_NaN();
    }
  }
  const DeviceSparse device_a(a);
  const DeviceMatrix device_b(b);
  const DeviceMatrix device_c(c_in);
  const kernels::cuda::SpmmScratchSize need = kernels::cuda::spmm_scratch(a.rows(), a.nnz(), k);
  DeviceArray<kernels::offset_t> segments(static_cast<std::size_t>(need.segment_offsets));
  DeviceArray<float> partials(static_cast<std::size_t>(need.partials));
  kernels::cuda::spmm(device_a.pattern(), device_a.values.data(), device_b.cview(), device_c.view(), blend.alpha,
                      blend.beta, kernels::cuda::SpmmScratch{segments.data(), partials.data()}, nullptr);
  const HostMatrix c = device_c.download(c_in);
  CHECK_CLOSE(c.view(),
              testsupport::spmm_reference(a.pattern(), a.values.data(), b.view(), c_in.view(), blend.alpha, blend.beta),
              tolerance);
  CHECK(c.padding_untouched());
}

TEST_CASE("cuda spmm with long rows split over blocks matches the reference", "[simt][spmm]") {
  for (const SparseProblem& problem : both_variants()) {
    for (const Blend blend : kBlends) {
      INFO(problem.name << ", alpha " << blend.alpha << ", beta " << blend.beta);
      const HostCsr a = HostCsr::random(problem.spec);
      check_split_spmm(a, problem.k, problem.ld_padding, fill_for(problem), blend,
                       tolerance_for(problem, longest_segment(a.offsets) + 1, 2.0));
    }
  }
  const HostCsr training = HostCsr::random({24, 3500, 0.15, testsupport::RowLengths::HeavyTailed, 0.0, true, false, 71});
  REQUIRE(training.max_row_length() > 2 * 1024);
  for (const Blend blend : kBlends) {
    INFO("k = 500, rows up to " << training.max_row_length() << " nonzeros, beta " << blend.beta);
    check_split_spmm(training, 500, 12, Fill::Uniform, blend,
                     testsupport::fp32_sum_tolerance(training.max_row_length() + 1, 2.0));
  }
}

TEST_CASE("cuda spmm_transposed matches the reference on every problem", "[simt][spmm]") {
  for (const SparseProblem& problem : both_variants()) {
    for (const Blend blend : kBlends) {
      INFO(problem.name << ", alpha " << blend.alpha << ", beta " << blend.beta);
      check_sparse_product(problem, true, blend);
    }
  }
}

TEST_CASE("cuda sparse products fall back from float4 when the data is misaligned", "[simt][spmm][sddmm]") {
  // k = 64 and ld = 64 would take the float4 path; shifting the data by one float breaks the 16-byte
  // alignment of every row, which the launchers must notice at run time.
  SparseProblem problem{"misaligned", {90, 70, 0.1, testsupport::RowLengths::HeavyTailed, 0.0, true, true, 21}, 64,
                        0, true};
  const HostCsr a = HostCsr::random(problem.spec);
  const HostMatrix b = HostMatrix::random(a.cols(), problem.k, 22, Fill::Integer);
  const HostMatrix h = HostMatrix::random(a.rows(), problem.k, 23, Fill::Integer);
  const DeviceSparse device_a(a);
  const DeviceMatrix device_b(b, 1);
  const DeviceMatrix device_h(h, 1);

  const DeviceMatrix device_c(HostMatrix(a.rows(), problem.k), 1);
  kernels::cuda::spmm(device_a.pattern(), device_a.values.data(), device_b.cview(), device_c.view(), 1.0f, 0.0f,
                      nullptr);
  CHECK_CLOSE(device_c.download(HostMatrix(a.rows(), problem.k)).view(),
              testsupport::spmm_reference(a.pattern(), a.values.data(), b.view(), {}, 1.0f, 0.0f),
              testsupport::kExact);

  DeviceArray<float> out(static_cast<std::size_t>(a.nnz()));
  kernels::cuda::sddmm(device_a.pattern(), device_h.cview(), device_b.cview(), out.data(), nullptr);
  CHECK_CLOSE(out.download(), testsupport::sddmm_reference(a.pattern(), h.view(), b.view()), testsupport::kExact);
}

TEST_CASE("cuda sddmm matches the reference on every problem", "[simt][sddmm]") {
  for (const SparseProblem& problem : both_variants()) {
    INFO(problem.name);
    const HostCsr pattern = HostCsr::random(problem.spec);
    const HostMatrix a = HostMatrix::random(pattern.rows(), problem.k, 31, fill_for(problem), problem.ld_padding);
    const HostMatrix b = HostMatrix::random(pattern.cols(), problem.k, 32, fill_for(problem), problem.ld_padding);
    const DeviceSparse device_pattern(pattern);
    const DeviceMatrix device_a(a);
    const DeviceMatrix device_b(b);
    DeviceArray<float> out(static_cast<std::size_t>(pattern.nnz()));
    kernels::cuda::sddmm(device_pattern.pattern(), device_a.cview(), device_b.cview(), out.data(), nullptr);
    CHECK_CLOSE(out.download(), testsupport::sddmm_reference(pattern.pattern(), a.view(), b.view()),
                tolerance_for(problem, problem.k));
  }
}

TEST_CASE("cuda sddmm_squared_error matches the reference output layer", "[simt][sddmm]") {
  using kernels::Activation;
  for (const SparseProblem& problem : both_variants()) {
    // Identity keeps integer-valued problems exact; the others exercise the fused activation.
    for (const Activation f : {Activation::Identity, Activation::Sigmoid, Activation::Elu}) {
      // The sigmoid runs without an output bias: the epilogue's no-bias path is compared too.
      const bool with_bias = f != Activation::Sigmoid;
      INFO(problem.name << ", activation " << static_cast<int>(f) << (with_bias ? "" : ", no bias"));
      const bool exact = problem.spec.integer_values && f == Activation::Identity;
      const HostCsr pattern = HostCsr::random(problem.spec);
      const HostMatrix h = HostMatrix::random(pattern.rows(), problem.k, 41, fill_for(problem), problem.ld_padding);
      const HostMatrix w = HostMatrix::random(pattern.cols(), problem.k, 42, fill_for(problem), problem.ld_padding);
      const std::vector<float> bias = testsupport::random_vector(pattern.cols(), 43, fill_for(problem));
      const std::vector<float> ratings = testsupport::random_vector(pattern.nnz(), 44, fill_for(problem));
      const DeviceSparse device_pattern(pattern);
      const DeviceMatrix device_h(h);
      const DeviceMatrix device_w(w);
      const DeviceArray<float> device_bias(bias);
      const DeviceArray<float> device_ratings(ratings);
      DeviceArray<float> errors(ratings.size());
      DeviceArray<float> predictions(ratings.size());
      const DeviceArray<double> loss = cudatest::device_scalar(1.5);  // the kernel adds to it
      kernels::cuda::sddmm_squared_error(device_pattern.pattern(), device_h.cview(), device_w.cview(),
                                         with_bias ? device_bias.data() : nullptr, device_ratings.data(), f,
                                         errors.data(), predictions.data(), loss.data(), nullptr);
      const testsupport::OutputLayerReference expected = testsupport::sddmm_squared_error_reference(
          pattern.pattern(), h.view(), w.view(), with_bias ? bias.data() : nullptr, ratings.data(), f);
      const Tolerance tol = exact ? testsupport::kExact : testsupport::fp32_sum_tolerance(problem.k + 4, 4.0);
      CHECK_CLOSE(predictions.download(), expected.predictions, tol);
      CHECK_CLOSE(errors.download(), expected.errors, tol);
      const double loss_tolerance = exact ? 0.0 : 1e-5 * (1.0 + expected.loss);
      CHECK(std::abs(cudatest::read_scalar(loss) - (1.5 + expected.loss)) <= loss_tolerance);
    }
  }
}
