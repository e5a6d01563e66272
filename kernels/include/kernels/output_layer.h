// The operands of the fused output layer's forward + backward (sddmm_squared_error_backprop in cpu.h
// and cuda.h): one struct instead of a dozen arguments.
#pragma once

#include "kernels/activation.h"
#include "kernels/bfloat16.h"
#include "kernels/views.h"

namespace kernels {

struct OutputLayerBackprop {
  CsrPattern pattern;              // the batch's observed entries (m x n)
  MatrixView<const float> h;       // (m x k) hidden activations
  MatrixView<const float> w;       // (n x k) decoder weights, row j = W_j
  // Optional bf16 copy of w (same shape; `--precision bf16`): when its data is set, the W_j rows are
  // gathered from it (widened to fp32, fp32 sums) and w's data is not read.
  MatrixView<const bfloat16> w_bf16;
  const float* bias = nullptr;     // (n) or null
  const float* ratings = nullptr;  // (nnz) targets
  Activation f = Activation::Identity;
  float alpha = 1.0f;              // scale of dH (the loss scale)
  float* errors = nullptr;         // (nnz) out
  MatrixView<float> dh;            // (m x k) out
};

}  // namespace kernels
