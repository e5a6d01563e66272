// Hyper-parameters of the optimizer update kernels. One struct per rule keeps the kernel signatures
// short and lets the CPU and CUDA versions share them.
#pragma once

#include <cstdint>

namespace kernels {

// v <- momentum * v + g ;  w <- w - lr * (nesterov ? g + momentum * v : v)
// weight_decay (coupled, "L2 through the gradient"): g <- g + weight_decay * w before the update.
struct SgdParams {
  float learning_rate = 0.01f;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
  bool nesterov = false;
};

// Adam (Kingma & Ba) with bias correction; step counts from 1.
// weight_decay is coupled L2 (added to the gradient) unless decoupled is set (AdamW, Loshchilov &
// Hutter): then w <- w - lr * weight_decay * w, applied before the Adam step.
struct AdamParams {
  float learning_rate = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled_weight_decay = false;
  std::int64_t step = 1;
};

// iRprop- (Igel & Huesken 2000): per-weight step sizes grow by eta_plus while the gradient keeps its
// sign and shrink by eta_minus when it flips; on a flip the stored gradient is zeroed so the next
// step does not move that weight. Only the sign of the gradient is used: full-batch training.
struct RpropParams {
  float eta_plus = 1.2f;
  float eta_minus = 0.5f;
  float step_min = 1e-6f;
  float step_max = 50.0f;
};

}  // namespace kernels
