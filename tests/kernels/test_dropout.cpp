// Inverted dropout: the keep rate, the exact 1 / (1 - p) scaling, mask replay, p = 0, and the mask
// being the documented formula uniform01(seed, i * cols + j) >= p.
#include <cmath>

#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/reference.h"

using namespace testsupport;

namespace {

// Inputs without zeros, so that "output is zero" means "dropped".
HostMatrix nonzero_matrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed, std::int64_t ld_padding = 0) {
  HostMatrix m = HostMatrix::random(rows, cols, seed, Fill::Uniform, ld_padding);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) m(i, j) = m(i, j) >= 0.0f ? m(i, j) + 0.5f : m(i, j) - 0.5f;
  return m;
}

}  // namespace

TEST_CASE("dropout keeps 1 - p of the elements and scales them by exactly 1 / (1 - p)", "[dropout]") {
  for (const float p : {0.1f, 0.3f, 0.5f, 0.9f}) {
    INFO("p = " << p);
    const HostMatrix in = nonzero_matrix(400, 250, 1, 6);
    HostMatrix out(400, 250, 6);
    kernels::cpu::dropout(in.view(), out.view(), p, 1234);
    const float keep_scale = 1.0f / (1.0f - p);
    std::int64_t kept = 0;
    bool scaling_exact = true;
    for (std::int64_t i = 0; i < in.rows; ++i)
      for (std::int64_t j = 0; j < in.cols; ++j) {
        if (out(i, j) == 0.0f) continue;
        ++kept;
        scaling_exact = scaling_exact && out(i, j) == in(i, j) * keep_scale;
      }
    CHECK(scaling_exact);
    // Binomial(n, 1 - p): the kept fraction lies within 6 standard deviations (a false alarm every ~10^9 runs).
    const double n = static_cast<double>(in.rows * in.cols);
    const double sigma = std::sqrt(p * (1.0 - p) / n);
    CHECK(std::fabs(static_cast<double>(kept) / n - (1.0 - p)) < 6.0 * sigma);
    CHECK(out.padding_untouched());
    CHECK_CLOSE(out.view(), dropout_reference(in.view(), p, 1234), fp32_elementwise_tolerance(0.0));
  }
}

TEST_CASE("dropout replays the same mask for the same seed, another mask for another seed", "[dropout]") {
  const HostMatrix x = nonzero_matrix(50, 70, 2);
  const HostMatrix grad = nonzero_matrix(50, 70, 3);
  HostMatrix forward(50, 70), backward(50, 70), other_seed(50, 70);
  kernels::cpu::dropout(x.view(), forward.view(), 0.4f, 99);
  kernels::cpu::dropout(grad.view(), backward.view(), 0.4f, 99);
  kernels::cpu::dropout(x.view(), other_seed.view(), 0.4f, 100);
  std::int64_t mask_mismatches = 0, differences_to_other_seed = 0;
  for (std::int64_t i = 0; i < 50; ++i)
    for (std::int64_t j = 0; j < 70; ++j) {
      mask_mismatches += (forward(i, j) == 0.0f) != (backward(i, j) == 0.0f);
      differences_to_other_seed += (forward(i, j) == 0.0f) != (other_seed(i, j) == 0.0f);
    }
  CHECK(mask_mismatches == 0);
  CHECK(differences_to_other_seed > 100);  // ~48 % of 3500 positions differ for independent masks
}

TEST_CASE("dropout with p = 0 is the identity, also in place", "[dropout]") {
  HostMatrix x = nonzero_matrix(9, 33, 4, 2);
  const HostMatrix original = x;
  kernels::cpu::dropout(x.view(), x.view(), 0.0f, 5);
  CHECK(x.data.size() == original.data.size());
  for (std::int64_t i = 0; i < x.rows; ++i)
    for (std::int64_t j = 0; j < x.cols; ++j) CHECK(x(i, j) == original(i, j));
}

TEST_CASE("dropout_values follows the flat formula, in place too", "[dropout]") {
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{1}, std::int64_t{1000}, std::int64_t{100000}}) {
    INFO("n = " << n);
    std::vector<float> values = random_vector(n, 6);
    const std::vector<double> expected = dropout_values_reference(values.data(), n, 0.25f, 77);
    kernels::cpu::dropout_values(values.data(), values.data(), n, 0.25f, 77);
    CHECK_CLOSE(values, expected, fp32_elementwise_tolerance(0.0));
  }
}

TEST_CASE("dropout of a matrix uses the logical index i * cols + j, not the padded one", "[dropout]") {
  const HostMatrix padded = nonzero_matrix(6, 10, 7, 22);
  HostMatrix packed(6, 10);
  for (std::int64_t i = 0; i < 6; ++i)
    for (std::int64_t j = 0; j < 10; ++j) packed(i, j) = padded(i, j);
  std::vector<float> flat_out(60);
  HostMatrix out(6, 10, 22);
  kernels::cpu::dropout(padded.view(), out.view(), 0.5f, 8);
  kernels::cpu::dropout_values(packed.data.data(), flat_out.data(), 60, 0.5f, 8);
  for (std::int64_t i = 0; i < 6; ++i)
    for (std::int64_t j = 0; j < 10; ++j) CHECK(out(i, j) == flat_out[static_cast<std::size_t>(i * 10 + j)]);
}
