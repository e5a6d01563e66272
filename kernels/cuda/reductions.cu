// Reductions: dense and sparse row/column sums (bias gradients) and the double-precision sums behind
// the loss and the L2 penalty.
//
// Every output element of the row/column sums is owned by one warp or one block column, and its
// partial sums are combined in a fixed order: no atomics, deterministic results.
//   column_sums        block of 32 x 8: 32 columns (a warp reads 128 contiguous bytes of a row) and 8
//                      interleaved row slices, whose partial sums meet in shared memory.
//   row_sums           a warp per row, lanes striding along it, then a warp shuffle sum.
//   sparse_*_sums      a warp per compressed row (CSR row or CSC column, values read through
//                      csr_positions for the latter), as row_sums.
//   sum_of_squares,    grid-stride over the flat array, a double per thread, a block sum, then one
//   squared_error      atomicAdd per block on the device double.
// The float sums accumulate in float per thread, as a GPU library would; the test tolerances allow it.
#include "common.cuh"
#include "kernels/cuda.h"

namespace kernels::cuda {
namespace {

constexpr int kColumnTile = 32;
constexpr int kRowSlices = 8;
constexpr int kWarpsPerBlock = detail::kFlatThreads / detail::kWarp;

struct Blend {
  float alpha;
  float beta;
};

__global__ void column_sums_kernel(MatrixView<const float> a, float* __restrict__ out, Blend blend) {
  __shared__ float slice_sums[kRowSlices][kColumnTile + 1];  // + 1: no bank conflicts on the transpose
  const std::int64_t j = std::int64_t{blockIdx.x} * kColumnTile + threadIdx.x;
  float sum = 0.0f;
  if (j < a.cols) {
    for (std::int64_t i = threadIdx.y; i < a.rows; i += kRowSlices) sum += __ldg(&a(i, j));
  }
  slice_sums[threadIdx.y][threadIdx.x] = sum;
  __syncthreads();
  if (threadIdx.y == 0 && j < a.cols) {
    float total = 0.0f;
    for (int s = 0; s < kRowSlices; ++s) total += slice_sums[s][threadIdx.x];
    out[j] = detail::blend(total, blend.alpha, blend.beta, out + j);
  }
}

__global__ void row_sums_kernel(MatrixView<const float> a, float* __restrict__ out, Blend blend) {
  const std::int64_t i = (std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x) / detail::kWarp;
  const int lane = static_cast<int>(threadIdx.x % detail::kWarp);
  float sum = 0.0f;
  if (i < a.rows) {
    for (std::int64_t j = lane; j < a.cols; j += detail::kWarp) sum += __ldg(&a(i, j));
  }
  sum = detail::warp_sum(sum);
  if (i < a.rows && lane == 0) out[i] = detail::blend(sum, blend.alpha, blend.beta, out + i);
}

// out[r] = alpha * sum of values[positions ? positions[q] : q] over q in [offsets[r], offsets[r+1]) + ...
struct SegmentParams {
  const offset_t* __restrict__ offsets;
  const offset_t* __restrict__ positions;
  const float* __restrict__ values;
  std::int64_t segments;
};

__global__ void segment_sums_kernel(SegmentParams s, float* __restrict__ out, Blend blend) {
  const std::int64_t r = (std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x) / detail::kWarp;
  const int lane = static_cast<int>(threadIdx.x % detail::kWarp);
  float sum = 0.0f;
  if (r < s.segments) {
    const offset_t end = __ldg(s.offsets + r + 1);
    for (offset_t q = __ldg(s.offsets + r) + lane; q < end; q += detail::kWarp) {
      sum += __ldg(s.values + (s.positions != nullptr ? __ldg(s.positions + q) : q));
    }
  }
  sum = detail::warp_sum(sum);
  if (r < s.segments && lane == 0) out[r] = detail::blend(sum, blend.alpha, blend.beta, out + r);
}

void launch_segment_sums(const SegmentParams& s, float* out, Blend blend, cudaStream_t stream) {
  cuda::launch(dim3(blocks_for(s.segments, kWarpsPerBlock)), dim3(detail::kFlatThreads), 0, stream,
               segment_sums_kernel, s, out, blend);
}

__global__ void sum_of_squares_kernel(const float* __restrict__ x, std::int64_t n, double* sum) {
  const detail::GridStride g = detail::grid_stride();
  double local = 0.0;
  for (std::int64_t i = g.first; i < n; i += g.stride) {
    const float value = __ldg(x + i);
    local += static_cast<double>(value) * value;
  }
  detail::add_block_sum<detail::kFlatThreads>(local, sum);
}

// grad may alias x or y: each element is read before it is written, by the same thread.
__global__ void squared_error_kernel(const float* x, const float* y, std::int64_t n, float* grad, double* sum) {
  const detail::GridStride g = detail::grid_stride();
  double local = 0.0;
  for (std::int64_t i = g.first; i < n; i += g.stride) {
    const float diff = x[i] - y[i];
    if (grad != nullptr) grad[i] = diff;
    local += static_cast<double>(diff) * diff;
  }
  detail::add_block_sum<detail::kFlatThreads>(local, sum);
}

}  // namespace

void column_sums(MatrixView<const float> a, float* out, float alpha, float beta, cudaStream_t stream) {
  detail::require_matrix(a, "A");
  detail::require_array(out, a.cols, "out");
  cuda::launch(dim3(blocks_for(a.cols, kColumnTile)), dim3(kColumnTile, kRowSlices), 0, stream, column_sums_kernel,
               a, out, Blend{alpha, beta});
}

void row_sums(MatrixView<const float> a, float* out, float alpha, float beta, cudaStream_t stream) {
  detail::require_matrix(a, "A");
  detail::require_array(out, a.rows, "out");
  cuda::launch(dim3(blocks_for(a.rows, kWarpsPerBlock)), dim3(detail::kFlatThreads), 0, stream, row_sums_kernel, a,
               out, Blend{alpha, beta});
}

void sparse_column_sums(const CscPattern& a, const float* a_values, float* out, float alpha, float beta,
                        cudaStream_t stream) {
  detail::require_csc(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  detail::require_array(out, a.cols, "out");
  launch_segment_sums({a.offsets, a.csr_positions, a_values, a.cols}, out, {alpha, beta}, stream);
}

void sparse_row_sums(const CsrPattern& a, const float* a_values, float* out, float alpha, float beta,
                     cudaStream_t stream) {
  detail::require_csr(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  detail::require_array(out, a.rows, "out");
  launch_segment_sums({a.offsets, nullptr, a_values, a.rows}, out, {alpha, beta}, stream);
}

void sum_of_squares(const float* x, std::int64_t n, double* sum, cudaStream_t stream) {
  detail::require_array(x, n, "x");
  KERNELS_REQUIRE(sum != nullptr, "sum is null");
  cuda::launch(dim3(detail::grid_stride_blocks(n)), dim3(detail::kFlatThreads), 0, stream, sum_of_squares_kernel, x,
               n, sum);
}

void squared_error(const float* x, const float* y, std::int64_t n, float* grad, double* sum, cudaStream_t stream) {
  detail::require_array(x, n, "x");
  detail::require_array(y, n, "y");
  KERNELS_REQUIRE(sum != nullptr, "sum is null");
  cuda::launch(dim3(detail::grid_stride_blocks(n)), dim3(detail::kFlatThreads), 0, stream, squared_error_kernel, x,
               y, n, grad, sum);
}

}  // namespace kernels::cuda
