// Dense elementwise kernels: the fused bias + activation after an SpMM, its backward, and inverted
// dropout (matrix and flat). Each is one memory-bound pass: a block of 32 x 8 threads covers 8 rows x
// 32 columns, a warp reading 128 contiguous bytes of a row; both grid dimensions are grid-stride, so
// any shape and leading dimension works with a bounded grid. The activation is a template argument:
// the instantiated kernel has no switch in its inner loop.
#include "common.cuh"
#include "kernels/cuda.h"
#include "kernels/random.h"

namespace kernels::cuda {
namespace {

constexpr unsigned kTileColumns = 32;
constexpr unsigned kTileRows = 8;
constexpr unsigned kMaxGridY = 65535;

// The element range a thread visits in a 2-D grid-stride loop over a rows x cols matrix.
struct Tile2d {
  std::int64_t first_row;
  std::int64_t row_stride;
  std::int64_t first_col;
  std::int64_t col_stride;
};

__device__ __forceinline__ Tile2d tile_2d() {
  return {std::int64_t{blockIdx.y} * blockDim.y + threadIdx.y, std::int64_t{gridDim.y} * blockDim.y,
          std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x, std::int64_t{gridDim.x} * blockDim.x};
}

// Launches kernel(args...) over a rows x cols matrix with 32 x 8 blocks and a bounded grid.
template <class Kernel, class... Args>
void launch_2d(std::int64_t rows, std::int64_t cols, cudaStream_t stream, Kernel kernel, Args... args) {
  if (rows == 0 || cols == 0) return;
  const unsigned grid_x = blocks_for(cols, kTileColumns);
  const unsigned grid_y = blocks_for(rows, kTileRows);
  const dim3 grid(grid_x < detail::kMaxGridStrideBlocks ? grid_x : detail::kMaxGridStrideBlocks,
                  grid_y < kMaxGridY ? grid_y : kMaxGridY);
  cuda::launch(grid, dim3(kTileColumns, kTileRows), 0, stream, kernel, args...);
}

// Z += bias (broadcast over rows); H = g(Z).
template <Activation G>
__global__ void bias_activation_kernel(MatrixView<float> z, const float* __restrict__ bias, MatrixView<float> h) {
  const Tile2d t = tile_2d();
  for (std::int64_t i = t.first_row; i < z.rows; i += t.row_stride) {
    for (std::int64_t j = t.first_col; j < z.cols; j += t.col_stride) {
      const float pre = z(i, j) + (bias != nullptr ? __ldg(bias + j) : 0.0f);
      z(i, j) = pre;
      h(i, j) = activate(G, pre);
    }
  }
}

// dZ = dH .* g'(Z).
template <Activation G>
__global__ void activation_backward_kernel(MatrixView<const float> z, MatrixView<const float> dh,
                                           MatrixView<float> dz) {
  const Tile2d t = tile_2d();
  for (std::int64_t i = t.first_row; i < z.rows; i += t.row_stride) {
    for (std::int64_t j = t.first_col; j < z.cols; j += t.col_stride) {
      dz(i, j) = dh(i, j) * activate_derivative(G, z(i, j));
    }
  }
}

// The CPU kernels' rule, bit for bit: kept when uniform01(seed, counter) >= p, then scaled.
__device__ __forceinline__ float drop(float x, float p, float keep_scale, std::uint64_t seed, std::uint64_t counter) {
  return uniform01(seed, counter) >= p ? x * keep_scale : 0.0f;
}

struct DropoutParams {
  float p;
  float keep_scale;  // 1 / (1 - p), computed once on the host as the CPU kernels do
  std::uint64_t seed;
};

__global__ void dropout_kernel(MatrixView<const float> in, MatrixView<float> out, DropoutParams d) {
  const Tile2d t = tile_2d();
  for (std::int64_t i = t.first_row; i < in.rows; i += t.row_stride) {
    for (std::int64_t j = t.first_col; j < in.cols; j += t.col_stride) {
      out(i, j) = drop(in(i, j), d.p, d.keep_scale, d.seed, static_cast<std::uint64_t>(i * in.cols + j));
    }
  }
}

__global__ void dropout_values_kernel(const float* in, float* out, std::int64_t n, DropoutParams d) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) {
    out[i] = drop(in[i], d.p, d.keep_scale, d.seed, static_cast<std::uint64_t>(i));
  }
}

DropoutParams dropout_params(float p, std::uint64_t seed) {
  detail::require_dropout_rate(p);
  return {p, 1.0f / (1.0f - p), seed};
}

}  // namespace

void bias_activation_forward(MatrixView<float> z, const float* bias, Activation g, MatrixView<float> h,
                             cudaStream_t stream) {
  detail::require_matrix(z, "Z");
  detail::require_matrix(h, "H");
  detail::require_same_shape(z, h, "Z", "H");
  KERNELS_REQUIRE(h.data != z.data || g == Activation::Identity,
                  "H may alias Z only for the identity activation: Z must keep the pre-activation");
  detail::with_activation(g, [&](auto act) {
    launch_2d(z.rows, z.cols, stream, bias_activation_kernel<decltype(act)::value>, z, bias, h);
  });
}

void activation_backward(MatrixView<const float> z, MatrixView<const float> dh, Activation g, MatrixView<float> dz,
                         cudaStream_t stream) {
  detail::require_matrix(z, "Z");
  detail::require_matrix(dh, "dH");
  detail::require_matrix(dz, "dZ");
  detail::require_same_shape(z, dh, "Z", "dH");
  detail::require_same_shape(z, dz, "Z", "dZ");
  detail::with_activation(g, [&](auto act) {
    launch_2d(z.rows, z.cols, stream, activation_backward_kernel<decltype(act)::value>, z, dh, dz);
  });
}

void dropout(MatrixView<const float> in, MatrixView<float> out, float p, std::uint64_t seed, cudaStream_t stream) {
  detail::require_matrix(in, "in");
  detail::require_matrix(out, "out");
  detail::require_same_shape(in, out, "in", "out");
  launch_2d(in.rows, in.cols, stream, dropout_kernel, in, out, dropout_params(p, seed));
}

void dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed, cudaStream_t stream) {
  detail::require_array(in, n, "in");
  detail::require_array(out, n, "out");
  const DropoutParams d = dropout_params(p, seed);
  cuda::launch(dim3(detail::grid_stride_blocks(n)), dim3(detail::kFlatThreads), 0, stream, dropout_values_kernel, in,
               out, n, d);
}

}  // namespace kernels::cuda
