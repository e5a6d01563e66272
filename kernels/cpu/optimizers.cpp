// Fused optimizer updates over one flat parameter buffer: one pass reads each weight, its gradient
// and its state once. The per-element rules live in kernels/optimizer_math.h, shared with the CUDA
// kernels; this file only splits the buffer into chunks and runs a plain loop over each.
#include "kernels/cpu.h"
#include "kernels/optimizer_math.h"
#include "parallel.h"
#include "preconditions.h"

namespace kernels::cpu {
namespace {

// Weights per task: large enough to amortise the scheduling, small enough to spread over threads.
// Each task runs a plain loop over its chunk: GCC vectorises that, not "omp parallel for simd" here.
// (Adam's sqrt needs -fno-math-errno, RProp's compares -fno-trapping-math: see kernels/CMakeLists.txt.
// Both updates are memory-bound, so a scalar loop would cost little.)
constexpr std::int64_t kChunk = 1 << 15;

}  // namespace

// The loops' lambdas capture by value: copies of the pointers and hyper-parameters that the stores
// through params cannot alias, so GCC need not reload them and vectorises the loops.

void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p) {
  kernels::detail::require_sgd_update(params, grads, velocity, n, p);
  const SgdParams q = p;
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      params[i] = kernels::detail::sgd_element(params[i], grads[i], velocity != nullptr ? velocity + i : nullptr, q);
    }
  });
}

void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p) {
  kernels::detail::require_adam_update(params, grads, m, v, n, p);
  const kernels::detail::AdamStepConstants s = kernels::detail::adam_step_constants(p);
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      params[i] = kernels::detail::adam_element(params[i], grads[i], m[i], v[i], s);
    }
  });
}

void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes, std::int64_t n,
                  const RpropParams& p) {
  kernels::detail::require_rprop_update(params, grads, previous_grads, step_sizes, n, p);
  const RpropParams q = p;
  detail::parallel_chunks(n, kChunk, [=](std::int64_t begin, std::int64_t end) {
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      params[i] = kernels::detail::rprop_element(params[i], grads[i], previous_grads[i], step_sizes[i], q);
    }
  });
}

}  // namespace kernels::cpu
