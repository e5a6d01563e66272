// The CPU side of kernel_level.h, and the dispatch to the CUDA twins.
#include "kernel_level.h"

#include "kernels/cpu.h"

namespace opcases::kernel_level {

double squared_error(Twin twin, const std::vector<float>& x, const std::vector<float>& y, std::vector<float>& grad) {
  if (twin == Twin::Cuda) return cuda_twin::squared_error(x, y, grad);
  grad.assign(x.size(), 0.0f);
  return kernels::cpu::squared_error(x.data(), y.data(), static_cast<std::int64_t>(x.size()), grad.data());
}

std::vector<float> dropout_values(Twin twin, const std::vector<float>& in, float p, std::uint64_t seed) {
  if (twin == Twin::Cuda) return cuda_twin::dropout_values(in, p, seed);
  std::vector<float> out(in.size());
  kernels::cpu::dropout_values(in.data(), out.data(), static_cast<std::int64_t>(in.size()), p, seed);
  return out;
}

void sgd_update(Twin twin, std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& velocity,
                const kernels::SgdParams& p) {
  if (twin == Twin::Cuda) return cuda_twin::sgd_update(params, grads, velocity, p);
  kernels::cpu::sgd_update(params.data(), grads.data(), velocity.empty() ? nullptr : velocity.data(),
                           static_cast<std::int64_t>(params.size()), p);
}

void adam_update(Twin twin, std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                 std::vector<float>& v, const kernels::AdamParams& p) {
  if (twin == Twin::Cuda) return cuda_twin::adam_update(params, grads, m, v, p);
  kernels::cpu::adam_update(params.data(), grads.data(), m.data(), v.data(), static_cast<std::int64_t>(params.size()), p);
}

void rprop_update(Twin twin, std::vector<float>& params, const std::vector<float>& grads,
                  std::vector<float>& previous_grads, std::vector<float>& step_sizes, const kernels::RpropParams& p) {
  if (twin == Twin::Cuda) return cuda_twin::rprop_update(params, grads, previous_grads, step_sizes, p);
  kernels::cpu::rprop_update(params.data(), grads.data(), previous_grads.data(), step_sizes.data(),
                             static_cast<std::int64_t>(params.size()), p);
}

}  // namespace opcases::kernel_level
