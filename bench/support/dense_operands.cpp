#include "dense_operands.h"

#include "kernels/random.h"

namespace bench {

std::int64_t padded_ld(std::int64_t cols) { return cols >= 32 ? (cols + 31) / 32 * 32 : cols; }

HostMatrix zero_matrix(std::int64_t rows, std::int64_t cols) {
  HostMatrix m{rows, cols, padded_ld(cols), {}};
  m.data.assign(static_cast<std::size_t>(rows * m.ld), 0.0f);
  return m;
}

HostMatrix random_matrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
  HostMatrix m = zero_matrix(rows, cols);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const auto counter = static_cast<std::uint64_t>(i * cols + j);
      m.data[static_cast<std::size_t>(i * m.ld + j)] = 2.0f * kernels::uniform01(seed, counter) - 1.0f;
    }
  }
  return m;
}

std::vector<float> random_vector(std::int64_t n, std::uint64_t seed, float low, float high) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    v[static_cast<std::size_t>(i)] = low + (high - low) * kernels::uniform01(seed, static_cast<std::uint64_t>(i));
  }
  return v;
}

}  // namespace bench
