// Dense losses with their gradients (see cpu.h; research ops, not on AutoRec's training path).
//   mse, bce_with_logits   grid-stride over the elements, the float term of kernels/losses.h per element,
//                          a double per thread, a block sum, one atomicAdd per block on *loss_sum.
//   softmax_cross_entropy  one warp per row: the row's max and sum of exp(z - max) by warp reductions,
//                          then each lane writes its columns' gradient; the row losses go to the block sum.
// The block sums' atomicAdds make the last bits of *loss_sum vary between runs; the gradients do not.
#include "common.cuh"
#include "kernels/cuda.h"
#include "kernels/losses.h"

namespace kernels::cuda {
namespace {

__device__ __forceinline__ float warp_max_float(float value) {
  for (int offset = detail::kWarp / 2; offset > 0; offset /= 2) {
    const float other = __shfl_xor_sync(detail::kFullWarp, value, offset);
    value = other > value ? other : value;
  }
  return value;
}

__global__ void mse_kernel(MatrixView<const float> p, MatrixView<const float> t, float scale, MatrixView<float> grad,
                           double* loss_sum) {
  const detail::GridStride g = detail::grid_stride();
  const std::int64_t n = p.rows * p.cols;
  const float twice = 2.0f * scale;
  double local = 0.0;
  for (std::int64_t e = g.first; e < n; e += g.stride) {
    const std::int64_t i = e / p.cols, j = e - i * p.cols;
    const float diff = p(i, j) - t(i, j);
    if (grad.data != nullptr) grad(i, j) = twice * diff;
    local += static_cast<double>(diff) * diff;
  }
  detail::add_block_sum<detail::kFlatThreads>(static_cast<double>(scale) * local, loss_sum);
}

__global__ void bce_kernel(MatrixView<const float> z, MatrixView<const float> t, float scale, MatrixView<float> grad,
                           double* loss_sum) {
  const detail::GridStride g = detail::grid_stride();
  const std::int64_t n = z.rows * z.cols;
  double local = 0.0;
  for (std::int64_t e = g.first; e < n; e += g.stride) {
    const std::int64_t i = e / z.cols, j = e - i * z.cols;
    const float logit = z(i, j), target = t(i, j);
    if (grad.data != nullptr) grad(i, j) = scale * detail::bce_with_logits_gradient(logit, target);
    local += detail::bce_with_logits_term(logit, target);
  }
  detail::add_block_sum<detail::kFlatThreads>(static_cast<double>(scale) * local, loss_sum);
}

__global__ void softmax_cross_entropy_kernel(MatrixView<const float> z, const index_t* __restrict__ labels, float scale,
                                             MatrixView<float> grad, double* loss_sum) {
  const int lane = static_cast<int>(threadIdx.x % detail::kWarp);
  const std::int64_t warps = std::int64_t{gridDim.x} * (blockDim.x / detail::kWarp);
  double local = 0.0;
  for (std::int64_t i = (std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x) / detail::kWarp; i < z.rows; i += warps) {
    float max = -INFINITY;
    for (std::int64_t j = lane; j < z.cols; j += detail::kWarp) max = z(i, j) > max ? z(i, j) : max;
    max = warp_max_float(max);
    float exp_sum = 0.0f;
    for (std::int64_t j = lane; j < z.cols; j += detail::kWarp) exp_sum += expf(z(i, j) - max);
    exp_sum = detail::warp_sum(exp_sum);
    const index_t label = __ldg(labels + i);
    const bool valid = label >= 0 && label < z.cols;
    const float label_logit = valid ? z(i, label) : NAN;
    __syncwarp();  // every lane has read the label's logit before any lane overwrites it (grad may alias z)
    if (grad.data != nullptr) {
      for (std::int64_t j = lane; j < z.cols; j += detail::kWarp) {
        const float p = expf(z(i, j) - max) / exp_sum;
        grad(i, j) = valid ? scale * (p - (j == label ? 1.0f : 0.0f)) : NAN;
      }
    }
    if (lane == 0) local += static_cast<double>(max) + log(static_cast<double>(exp_sum)) - label_logit;
  }
  detail::add_block_sum<detail::kFlatThreads>(static_cast<double>(scale) * local, loss_sum);
}

unsigned row_warp_blocks(std::int64_t rows) {
  const unsigned blocks = blocks_for(rows, detail::kFlatThreads / detail::kWarp);
  return blocks < detail::kMaxGridStrideBlocks ? blocks : detail::kMaxGridStrideBlocks;
}

}  // namespace

void mse_loss(MatrixView<const float> prediction, MatrixView<const float> target, float scale, MatrixView<float> grad,
              double* loss_sum, cudaStream_t stream) {
  detail::require_loss("mse_loss", prediction, target, grad);
  KERNELS_REQUIRE(loss_sum != nullptr, "mse_loss: loss_sum is null");
  if (prediction.rows * prediction.cols == 0) return;
  cuda::launch(dim3(detail::grid_stride_blocks(prediction.rows * prediction.cols)), dim3(detail::kFlatThreads), 0,
               stream, mse_kernel, prediction, target, scale, grad, loss_sum);
}

void bce_with_logits_loss(MatrixView<const float> logits, MatrixView<const float> target, float scale,
                          MatrixView<float> grad, double* loss_sum, cudaStream_t stream) {
  detail::require_loss("bce_with_logits_loss", logits, target, grad);
  KERNELS_REQUIRE(loss_sum != nullptr, "bce_with_logits_loss: loss_sum is null");
  if (logits.rows * logits.cols == 0) return;
  cuda::launch(dim3(detail::grid_stride_blocks(logits.rows * logits.cols)), dim3(detail::kFlatThreads), 0, stream,
               bce_kernel, logits, target, scale, grad, loss_sum);
}

void softmax_cross_entropy_loss(MatrixView<const float> logits, const index_t* labels, float scale,
                                MatrixView<float> grad, double* loss_sum, cudaStream_t stream) {
  detail::require_loss("softmax_cross_entropy_loss", logits, {}, grad);
  detail::require_array(labels, logits.rows, "labels");
  KERNELS_REQUIRE(loss_sum != nullptr, "softmax_cross_entropy_loss: loss_sum is null");
  KERNELS_REQUIRE(logits.cols > 0 || logits.rows == 0, "softmax_cross_entropy_loss: no classes");
  if (logits.rows == 0) return;
  cuda::launch(dim3(row_warp_blocks(logits.rows)), dim3(detail::kFlatThreads), 0, stream, softmax_cross_entropy_kernel,
               logits, labels, scale, grad, loss_sum);
}

}  // namespace kernels::cuda
