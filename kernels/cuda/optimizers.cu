// Flat-buffer updates: fill, scale, axpy and the fused optimizer steps (SGD with momentum, Adam/AdamW,
// iRprop-). Each is one grid-stride pass that reads every weight, its gradient and its state once and
// writes them once: the optimizer is purely memory-bound, so fusing the whole rule into one pass is the
// optimisation (see DESIGN.md: with L2 regularisation every weight gradient is dense). The per-element
// rules are those of kernels/optimizer_rules/, which the CPU kernels call too, so both backends agree
// to the last bit up to nvcc's FMA contraction.
#include "common.cuh"
#include "kernels/cuda.h"

namespace kernels::cuda {
namespace {

__global__ void fill_kernel(float* __restrict__ x, std::int64_t n, float value) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) x[i] = value;
}

__global__ void scale_kernel(float* __restrict__ x, std::int64_t n, float alpha) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) x[i] *= alpha;
}

// y += alpha * x; x may equal y (no __restrict__).
__global__ void axpy_kernel(float alpha, const float* x, float* y, std::int64_t n) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) y[i] += alpha * x[i];
}

__global__ void apply_update_kernel(float* __restrict__ params, const float* __restrict__ grads, std::int64_t n,
                                    WeightUpdate u) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) {
    const float w = detail::update_weight(u, params[i], grads[i], i);
    params[i] = w;
    if (u.bf16_copy != nullptr) u.bf16_copy[i] = to_bfloat16(w);
  }
}

__global__ void round_to_bfloat16_kernel(const float* __restrict__ x, bfloat16* __restrict__ out, std::int64_t n) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) out[i] = to_bfloat16(x[i]);
}

// Launches a grid-stride kernel over n elements.
template <class Kernel, class... Args>
void launch_flat(std::int64_t n, cudaStream_t stream, Kernel kernel, Args... args) {
  cuda::launch(dim3(detail::grid_stride_blocks(n)), dim3(detail::kFlatThreads), 0, stream, kernel, args...);
}

}  // namespace

void fill(float* x, std::int64_t n, float value, cudaStream_t stream) {
  detail::require_array(x, n, "x");
  launch_flat(n, stream, fill_kernel, x, n, value);
}

void scale(float* x, std::int64_t n, float alpha, cudaStream_t stream) {
  detail::require_array(x, n, "x");
  launch_flat(n, stream, scale_kernel, x, n, alpha);
}

void axpy(float alpha, const float* x, float* y, std::int64_t n, cudaStream_t stream) {
  detail::require_array(x, n, "x");
  detail::require_array(y, n, "y");
  launch_flat(n, stream, axpy_kernel, alpha, x, y, n);
}

// sgd_update, adam_update and rprop_update are apply_update with the rule's constants: one kernel for
// every rule, the element rule chosen by WeightUpdate (kernels/optimizer_rules.h).
void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p,
                cudaStream_t stream) {
  kernels::detail::require_sgd_update(params, grads, velocity, n, p);
  apply_update(params, grads, n, WeightUpdate::sgd_step(p, velocity), stream);
}

void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p,
                 cudaStream_t stream) {
  kernels::detail::require_adam_update(params, grads, m, v, n, p);
  apply_update(params, grads, n, WeightUpdate::adam_step(p, m, v), stream);
}

void apply_update(float* params, const float* grads, std::int64_t n, const WeightUpdate& u, cudaStream_t stream) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  detail::require_weight_update(u, MatrixView<float>{params, 1, n, n});
  launch_flat(n, stream, apply_update_kernel, params, grads, n, u);
}

void round_to_bfloat16(const float* x, bfloat16* out, std::int64_t n, cudaStream_t stream) {
  detail::require_array(x, n, "x");
  detail::require_array(out, n, "out");
  launch_flat(n, stream, round_to_bfloat16_kernel, x, out, n);
}

void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes, std::int64_t n,
                  const RpropParams& p, cudaStream_t stream) {
  kernels::detail::require_rprop_update(params, grads, previous_grads, step_sizes, n, p);
  apply_update(params, grads, n, WeightUpdate::of<rules::Rprop>(p, previous_grads, step_sizes), stream);
}

}  // namespace kernels::cuda
