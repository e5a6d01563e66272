// HostMatrix: a host-owned row-major float matrix for tests, optionally with a padded leading
// dimension (ld > cols) whose padding is filled with a sentinel NaN so that a kernel that reads or
// writes past `cols` shows up in the results or in check_padding_untouched().
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/views.h"

namespace testsupport {

enum class Fill {
  Uniform,  // uniform in [-1, 1]
  Integer,  // small integers in [-4, 4]: products and sums of them are exact in float
};

class HostMatrix {
 public:
  HostMatrix() = default;
  // Zero-filled rows x cols, ld = cols + ld_padding.
  HostMatrix(std::int64_t rows, std::int64_t cols, std::int64_t ld_padding = 0);
  static HostMatrix random(std::int64_t rows, std::int64_t cols, std::uint64_t seed, Fill fill = Fill::Uniform,
                           std::int64_t ld_padding = 0);

  kernels::MatrixView<float> view() { return {data.data(), rows, cols, ld}; }
  kernels::MatrixView<const float> view() const { return {data.data(), rows, cols, ld}; }
  float& operator()(std::int64_t i, std::int64_t j) { return data[i * ld + j]; }
  float operator()(std::int64_t i, std::int64_t j) const { return data[i * ld + j]; }
  // True when every padding element still holds the sentinel.
  bool padding_untouched() const;

  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;
  std::vector<float> data;  // rows * ld
};

// A random flat array (optimizer buffers, sparse values, ratings).
std::vector<float> random_vector(std::int64_t n, std::uint64_t seed, Fill fill = Fill::Uniform);

}  // namespace testsupport
