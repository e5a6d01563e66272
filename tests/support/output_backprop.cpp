#include "testsupport/output_backprop.h"

#include <algorithm>
#include <cmath>

#include "testsupport/reference.h"

namespace testsupport {
namespace {

// Row r holds lengths[r] nonzeros at columns spread over [0, cols).
HostCsr rows_of_lengths(std::int32_t cols, const std::vector<std::int32_t>& lengths, std::uint64_t seed) {
  std::vector<Triplet> triplets;
  const std::vector<float> values = random_vector(static_cast<std::int64_t>(lengths.size()) * cols, seed);
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    for (std::int32_t q = 0; q < lengths[r]; ++q) {
      const std::int32_t col = static_cast<std::int32_t>((std::int64_t{q} * cols) / lengths[r]);
      triplets.push_back({static_cast<std::int32_t>(r), col, values[r * static_cast<std::size_t>(cols) + col]});
    }
  }
  return HostCsr::from_triplets(static_cast<std::int32_t>(lengths.size()), cols, std::move(triplets));
}

std::vector<BackpropProblem> make_problems() {
  using A = kernels::Activation;
  // Heavy-tailed rows with one full row (~900 nonzeros: 15 segments of 64) and empty rows.
  const HostCsr training = HostCsr::random({48, 1000, 0.06, RowLengths::HeavyTailed, 0.1, true, false, 31});
  // Lengths around the 64-nonzero segment edge, and an empty row first and last.
  const HostCsr edges = rows_of_lengths(300, {0, 1, 63, 64, 65, 127, 128, 129, 0}, 32);
  return {
      {"k = 500, heavy-tailed rows up to ~900 nonzeros, empty rows", training, 500, 12, A::Identity, true, 1.0f},
      {"k = 512 (16 floats per lane), sigmoid output, no bias", training, 512, 0, A::Sigmoid, false, 0.25f},
      {"k = 500, ld = 501 (scalar lanes)", training, 500, 1, A::Identity, true, 0.5f},
      {"k = 37 (scalar lanes, partial pieces)", edges, 37, 0, A::Elu, true, 1.0f},
      {"rows of 0, 1, 63, 64, 65, 127, 128, 129 nonzeros (segment edges), k = 64", edges, 64, 0, A::Identity, true,
       2.0f},
  };
}

}  // namespace

const std::vector<BackpropProblem>& backprop_problems() {
  static const std::vector<BackpropProblem> problems = make_problems();
  return problems;
}

BackpropOperands backprop_operands(const BackpropProblem& problem) {
  BackpropOperands in;
  in.h = HostMatrix::random(problem.pattern.rows(), problem.k, 51, Fill::Uniform, problem.ld_padding);
  in.w = HostMatrix::random(problem.pattern.cols(), problem.k, 52, Fill::Uniform, problem.ld_padding);
  in.dh = HostMatrix(problem.pattern.rows(), problem.k, problem.ld_padding);
  if (problem.bias) in.bias = random_vector(problem.pattern.cols(), 53);
  in.ratings = random_vector(problem.pattern.nnz(), 54);
  in.errors.assign(static_cast<std::size_t>(problem.pattern.nnz()), 0.0f);
  return in;
}

kernels::OutputLayerBackprop backprop_layer(const BackpropProblem& problem, BackpropOperands& in) {
  kernels::OutputLayerBackprop layer;
  layer.pattern = problem.pattern.pattern();
  layer.h = in.h.view();
  layer.w = in.w.view();
  layer.bias = problem.bias ? in.bias.data() : nullptr;
  layer.ratings = in.ratings.data();
  layer.f = problem.f;
  layer.alpha = problem.alpha;
  layer.errors = in.errors.data();
  layer.dh = in.dh.view();
  return layer;
}

BackpropExpected backprop_reference(const BackpropProblem& problem, const BackpropOperands& in) {
  const HostCsr& a = problem.pattern;
  const OutputLayerReference forward = sddmm_squared_error_reference(
      a.pattern(), in.h.view(), in.w.view(), problem.bias ? in.bias.data() : nullptr, in.ratings.data(), problem.f);
  BackpropExpected out;
  out.errors = forward.errors;
  out.loss = forward.loss;
  out.dh.assign(static_cast<std::size_t>(a.rows() * problem.k), 0.0);
  double largest_error = 0.0;
  for (double e : forward.errors) largest_error = std::max(largest_error, std::abs(e));
  for (std::int32_t i = 0; i < a.rows(); ++i) {
    for (auto p = a.offsets[static_cast<std::size_t>(i)]; p < a.offsets[static_cast<std::size_t>(i) + 1]; ++p) {
      const double e = forward.errors[static_cast<std::size_t>(p)];
      const auto j = a.indices[static_cast<std::size_t>(p)];
      for (std::int64_t c = 0; c < problem.k; ++c) {
        out.dh[static_cast<std::size_t>(i * problem.k + c)] += problem.alpha * e * in.w(j, c);
      }
    }
  }
  // Errors: a k-term dot product. dH: a sum of row-length terms of size |e|, each e carrying the dot's error.
  out.errors_tolerance = fp32_sum_tolerance(problem.k + 2, 1.0);
  const std::int64_t longest = a.max_row_length();
  out.dh_tolerance = fp32_sum_tolerance(longest, std::abs(problem.alpha) * (largest_error + double(problem.k) + 2.0));
  out.loss_tolerance = {1e-9, 1e-4};
  return out;
}

}  // namespace testsupport
