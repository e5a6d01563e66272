// Dense host operands for the benchmarks: row-major, leading dimension padded like the engine's
// tensors (engine::padded_leading_dimension: a multiple of 32 floats once a row has 32 or more), so
// k = 500 runs on 512-float rows exactly as it does in training.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/views.h"

namespace bench {

std::int64_t padded_ld(std::int64_t cols);

struct HostMatrix {
  std::int64_t rows = 0, cols = 0, ld = 0;
  std::vector<float> data;  // (rows * ld); padding is zero

  kernels::MatrixView<float> view() { return {data.data(), rows, cols, ld}; }
  kernels::MatrixView<const float> view() const { return {data.data(), rows, cols, ld}; }
};

// Uniform values in [-1, 1) from (seed, element index); deterministic and thread-parallel.
HostMatrix random_matrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed);
HostMatrix zero_matrix(std::int64_t rows, std::int64_t cols);
std::vector<float> random_vector(std::int64_t n, std::uint64_t seed, float low = -1.0f, float high = 1.0f);

}  // namespace bench
