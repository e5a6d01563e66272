// Flat-buffer updates: fill, scale, axpy and the fused optimizer steps (SGD with momentum, Adam/AdamW,
// iRprop-). Each is one grid-stride pass that reads every weight, its gradient and its state once and
// writes them once: the optimizer is purely memory-bound, so fusing the whole rule into one pass is the
// optimisation (see DESIGN.md: with L2 regularisation every weight gradient is dense). The formulas and
// their evaluation order are those of the CPU kernels (kernels/cpu/optimizers.cpp), restated here, so
// that both backends agree to the last bit up to nvcc's FMA contraction.
#include <cmath>

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

__global__ void sgd_kernel(float* __restrict__ params, const float* __restrict__ grads, float* __restrict__ velocity,
                           std::int64_t n, SgdParams p) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) {
    const float grad = grads[i] + p.weight_decay * params[i];
    const float v = velocity != nullptr ? p.momentum * velocity[i] + grad : grad;
    if (velocity != nullptr) velocity[i] = v;
    params[i] -= p.learning_rate * (p.nesterov ? grad + p.momentum * v : v);
  }
}

// Adam's per-step constants, computed once on the host exactly as the CPU kernel does.
struct AdamStep {
  float learning_rate;
  float beta1;
  float beta2;
  float epsilon;
  float m_correction;      // 1 / (1 - beta1^t)
  float v_correction;      // 1 / (1 - beta2^t)
  float coupled_decay;     // weight_decay unless decoupled
  float decoupled_shrink;  // 1 - lr * weight_decay when decoupled, else 1
};

__global__ void adam_kernel(float* __restrict__ params, const float* __restrict__ grads, float* __restrict__ m,
                            float* __restrict__ v, std::int64_t n, AdamStep s) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) {
    const float w = params[i] * s.decoupled_shrink;
    const float grad = grads[i] + s.coupled_decay * params[i];
    const float m_i = s.beta1 * m[i] + (1.0f - s.beta1) * grad;
    const float v_i = s.beta2 * v[i] + (1.0f - s.beta2) * grad * grad;
    m[i] = m_i;
    v[i] = v_i;
    params[i] = w - s.learning_rate * (m_i * s.m_correction) / (sqrtf(v_i * s.v_correction) + s.epsilon);
  }
}

__device__ __forceinline__ float sign(float x) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f); }

__global__ void rprop_kernel(float* __restrict__ params, const float* __restrict__ grads,
                             float* __restrict__ previous_grads, float* __restrict__ step_sizes, std::int64_t n,
                             RpropParams p) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t i = g.first; i < n; i += g.stride) {
    const float grad = grads[i];
    const float agreement = grad * previous_grads[i];
    float step = step_sizes[i];
    if (agreement > 0.0f) step = fminf(step * p.eta_plus, p.step_max);
    if (agreement < 0.0f) step = fmaxf(step * p.eta_minus, p.step_min);
    const bool flipped = agreement < 0.0f;
    step_sizes[i] = step;
    params[i] -= flipped ? 0.0f : sign(grad) * step;
    previous_grads[i] = flipped ? 0.0f : grad;
  }
}

// Launches a grid-stride kernel over n elements.
template <class Kernel, class... Args>
void launch_flat(std::int64_t n, cudaStream_t stream, Kernel kernel, Args... args) {
  cuda::launch(dim3(detail::grid_stride_blocks(n)), dim3(detail::kFlatThreads), 0, stream, kernel, args...);
}

AdamStep adam_step(const AdamParams& p) {
  const auto t = static_cast<double>(p.step);
  return {p.learning_rate,
          p.beta1,
          p.beta2,
          p.epsilon,
          static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(p.beta1), t))),
          static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(p.beta2), t))),
          p.decoupled_weight_decay ? 0.0f : p.weight_decay,
          p.decoupled_weight_decay ? 1.0f - p.learning_rate * p.weight_decay : 1.0f};
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

void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p,
                cudaStream_t stream) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  KERNELS_REQUIRE(velocity != nullptr || n == 0 || p.momentum == 0.0f,
                  "momentum " << p.momentum << " needs a velocity buffer");
  KERNELS_REQUIRE(p.momentum >= 0.0f, "momentum " << p.momentum << " must be >= 0");
  launch_flat(n, stream, sgd_kernel, params, grads, velocity, n, p);
}

void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p,
                 cudaStream_t stream) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  detail::require_array(m, n, "m");
  detail::require_array(v, n, "v");
  KERNELS_REQUIRE(p.step >= 1, "Adam step " << p.step << " must count from 1");
  KERNELS_REQUIRE(p.beta1 >= 0.0f && p.beta1 < 1.0f && p.beta2 >= 0.0f && p.beta2 < 1.0f,
                  "Adam betas " << p.beta1 << ", " << p.beta2 << " must lie in [0, 1)");
  launch_flat(n, stream, adam_kernel, params, grads, m, v, n, adam_step(p));
}

void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes, std::int64_t n,
                  const RpropParams& p, cudaStream_t stream) {
  detail::require_array(params, n, "params");
  detail::require_array(grads, n, "grads");
  detail::require_array(previous_grads, n, "previous_grads");
  detail::require_array(step_sizes, n, "step_sizes");
  KERNELS_REQUIRE(p.eta_minus > 0.0f && p.eta_minus < 1.0f && p.eta_plus > 1.0f,
                  "RProp needs 0 < eta_minus < 1 < eta_plus, got " << p.eta_minus << ", " << p.eta_plus);
  KERNELS_REQUIRE(p.step_min > 0.0f && p.step_min <= p.step_max,
                  "RProp needs 0 < step_min <= step_max, got " << p.step_min << ", " << p.step_max);
  launch_flat(n, stream, rprop_kernel, params, grads, previous_grads, step_sizes, n, p);
}

}  // namespace kernels::cuda
