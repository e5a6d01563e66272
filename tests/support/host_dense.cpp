#include "testsupport/host_dense.h"

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

namespace testsupport {
namespace {

const float kPaddingSentinel = std::numeric_limits<float>::quiet_NaN();

float draw(Fill fill, std::mt19937_64& rng) {
  if (fill == Fill::Integer) return static_cast<float>(std::uniform_int_distribution<int>(-4, 4)(rng));
  return std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
}

}  // namespace

HostMatrix::HostMatrix(std::int64_t rows_, std::int64_t cols_, std::int64_t ld_padding)
    : rows(rows_), cols(cols_), ld(cols_ + ld_padding) {
  if (rows < 0 || cols < 0 || ld_padding < 0) throw std::invalid_argument("HostMatrix: negative shape or padding");
  data.assign(static_cast<std::size_t>(rows * ld), 0.0f);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = cols; j < ld; ++j) data[i * ld + j] = kPaddingSentinel;
}

HostMatrix HostMatrix::random(std::int64_t rows, std::int64_t cols, std::uint64_t seed, Fill fill,
                              std::int64_t ld_padding) {
  HostMatrix m(rows, cols, ld_padding);
  std::mt19937_64 rng(seed);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) m(i, j) = draw(fill, rng);
  return m;
}

bool HostMatrix::padding_untouched() const {
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = cols; j < ld; ++j)
      if (!std::isnan(data[i * ld + j])) return false;
  return true;
}

std::vector<float> random_vector(std::int64_t n, std::uint64_t seed, Fill fill) {
  std::mt19937_64 rng(seed);
  std::vector<float> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = draw(fill, rng);
  return v;
}

}  // namespace testsupport
