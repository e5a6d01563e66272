// Layers: each owns its parameters (declared in a ParameterStore) and the activations of the
// current batch, runs forward, and backward in one of two modes:
// - accumulate (optimizer == nullptr): ADDS its parameter gradients into the store's gradient buffer,
//   so several chunks can accumulate one full-batch gradient (call ParameterStore::zero_grads() first,
//   Optimizer::step() after);
// - fused (an optimizer in its fused mode, after its begin_step()): each parameter takes the
//   optimizer's step as soon as its gradient is complete; a sparse layer's weight gradient is never
//   stored (ops::spmm_transposed_update). The gradient passed back down is computed with the weights
//   as they were before the step.
// Workspaces grow to the largest batch seen and are reused: after the first batch no allocation
// happens in the training loop.
//
// A sparse autoencoder is   SparseInputLayer -> DenseLayer* -> SparseOutputLayer,
// e.g. AutoRec 500-250-500:  SparseInputLayer(n, 500), DenseLayer(500, 250), DenseLayer(250, 500),
//                            SparseOutputLayer(500, n).
#pragma once

#include <cstdint>
#include <string>

#include "engine/accumulator.h"
#include "engine/activation.h"
#include "engine/optimizers.h"
#include "engine/parameters.h"
#include "engine/sparse_matrix.h"

namespace engine {

// Reusable scratch memory: hands out a (rows, cols) view with a padded leading dimension, and
// reallocates only when a request needs more elements than it holds (or another device), so
// batches of varying size reuse one allocation.
class Workspace {
 public:
  TensorView rows(std::int64_t rows, std::int64_t cols, Device device);

 private:
  DeviceArray<float> storage_;
};

// H (m, k) = g(X (m, n) . V (n, k) + b), X sparse.
class SparseInputLayer {
 public:
  SparseInputLayer(ParameterStore& store, const std::string& name, std::int64_t inputs, std::int64_t outputs,
                   Activation g);
  ConstTensorView forward(const ParameterStore& store, const SparseMatrix& x);
  // dV = X^T . dZ, db = column sums of dZ, with dZ = dH .* g'(Z): added to the gradients, or applied by
  // `optimizer` (see the file comment). x must be the forward's input.
  void backward(ParameterStore& store, const SparseMatrix& x, ConstTensorView dh, Optimizer* optimizer = nullptr);

  ParameterId weight() const { return weight_; }  // V (n, k)
  ParameterId bias() const { return bias_; }      // b (1, k)

 private:
  std::string name_;  // names the layer in shape errors (ops::LayerScope)
  ParameterId weight_, bias_;
  Activation g_;
  Workspace z_, h_, dz_;
};

// H (m, k_out) = g(X (m, k_in) . W (k_in, k_out) + b).
class DenseLayer {
 public:
  DenseLayer(ParameterStore& store, const std::string& name, std::int64_t inputs, std::int64_t outputs, Activation g);
  ConstTensorView forward(const ParameterStore& store, ConstTensorView x);
  // dW = X^T dZ, db = column sums of dZ (added, or applied by `optimizer`); returns dX = dZ W^T with the
  // weights before any update (valid until the next backward).
  ConstTensorView backward(ParameterStore& store, ConstTensorView x, ConstTensorView dh,
                           Optimizer* optimizer = nullptr);

  ParameterId weight() const { return weight_; }
  ParameterId bias() const { return bias_; }

 private:
  std::string name_;  // names the layer in shape errors (ops::LayerScope)
  ParameterId weight_, bias_;
  Activation g_;
  Workspace z_, h_, dz_, dx_;
};

// The decoder evaluated only where targets are observed: for each nonzero (i, j) of the targets,
// y = f(<H_i, W_j> + c_j), W (n, k) with row j contiguous, c (1, n).
class SparseOutputLayer {
 public:
  SparseOutputLayer(ParameterStore& store, const std::string& name, std::int64_t inputs, std::int64_t outputs,
                    Activation f);
  // Adds the batch's sum of squared errors to sse and keeps the errors for backward.
  void forward_loss(const ParameterStore& store, ConstTensorView h, const SparseMatrix& targets,
                    DeviceAccumulator& sse);
  // With loss = loss_scale * (1/2) * sse: dW = loss_scale * E^T . H, dc = loss_scale * column sums of E
  // (added, or applied by `optimizer`); returns dH = loss_scale * E . W with W before any update.
  ConstTensorView backward(ParameterStore& store, ConstTensorView h, const SparseMatrix& targets, float loss_scale,
                           Optimizer* optimizer = nullptr);
  // forward_loss then backward, with the decoder's two passes over the nonzeros fused into one that reads
  // each W row once (ops::sddmm_squared_error_backprop; k > 512 falls back to the two passes).
  ConstTensorView forward_backward(ParameterStore& store, ConstTensorView h, const SparseMatrix& targets,
                                   float loss_scale, DeviceAccumulator& sse, Optimizer* optimizer = nullptr);
  // Predictions at the nonzeros of `pattern` (its values ignored): out (1, nnz).
  void predict_at(const ParameterStore& store, ConstTensorView h, const SparseMatrix& pattern, TensorView out);
  // Full rows: out (m, n) = f(H . W^T + c), for ranking; m is chosen by the caller to bound memory.
  void predict_dense(const ParameterStore& store, ConstTensorView h, TensorView out);

  ParameterId weight() const { return weight_; }
  ParameterId bias() const { return bias_; }

 private:
  std::string name_;  // names the layer in shape errors (ops::LayerScope)
  ParameterId weight_, bias_;
  Activation f_;
  // Steps (or accumulates) W and c from the errors left by the forward pass.
  void finish_gradients(ParameterStore& store, ConstTensorView h, const SparseMatrix& targets, ConstTensorView errors,
                        float loss_scale, Optimizer* optimizer);

  Workspace errors_, dh_;
};

}  // namespace engine
