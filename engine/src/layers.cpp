#include "engine/layers.h"

#include <utility>

#include "engine/internal/kernel_views.h"
#include "engine/ops.h"
#include "fused_update_access.h"

namespace engine {
namespace {

// A dense parameter's gradient: `write` computes it into the gradient buffer (beta = 0, no zeroing
// needed) and the optimizer steps it, or (accumulating) `write` adds to the buffer (beta = 1).
template <class Write>
void finish_dense_gradient(ParameterStore& store, ParameterId id, Optimizer* optimizer, Write&& write) {
  write(store.grad(id), optimizer != nullptr ? 0.0f : 1.0f);
  if (optimizer != nullptr) optimizer->step_parameter(store, id);
}

// A sparse layer's weight gradient alpha * A^T . B: fused into the optimizer step, or added to the buffer.
void finish_sparse_gradient(ParameterStore& store, ParameterId id, Optimizer* optimizer, const SparseMatrix& a,
                            ConstTensorView a_values, ConstTensorView b, float alpha) {
  if (optimizer != nullptr) {
    // With a bf16 table the epilogue writes each new weight's bf16 copy too: the copy stays current
    // without a conversion pass per batch.
    const ParameterStore::FusedWrite target = store.value_and_bf16_copy(id);
    kernels::WeightUpdate update = FusedUpdateAccess::unwrap(optimizer->update_for(store, id));
    update.bf16_copy = kernel_pointer(target.copy);
    ops::spmm_transposed_update(a, a_values, b, alpha, target.value, FusedUpdateAccess::wrap(update));
  } else {
    ops::spmm_transposed(a, a_values, b, store.grad(id), alpha, 1.0f);
  }
}

}  // namespace

TensorView Workspace::rows(std::int64_t rows, std::int64_t cols, Device device) {
  const std::int64_t ld = padded_leading_dimension(cols);
  const std::int64_t needed = rows * ld;
  if (storage_.size() < needed || !(storage_.device() == device)) {
    storage_ = DeviceArray<float>::zeros(needed, device);
  }
  return {device, {storage_.data(), rows, cols, ld}};
}

// ---- SparseInputLayer -------------------------------------------------------------------------

SparseInputLayer::SparseInputLayer(ParameterStore& store, const std::string& name, std::int64_t inputs,
                                   std::int64_t outputs, Activation g)
    : name_(name),
      weight_(store.declare(name + ".weight", inputs, outputs, kWeightsGroup, Init::GlorotUniform)),
      bias_(store.declare(name + ".bias", 1, outputs, kBiasesGroup, Init::Zeros)),
      g_(g) {}

ConstTensorView SparseInputLayer::forward(const ParameterStore& store, const SparseMatrix& x) {
  const ops::LayerScope scope(name_);
  const ConstTensorView v = store.value(weight_);  // (n, k)
  TensorView z = z_.rows(x.rows(), v.cols(), x.device());  // (m, k)
  TensorView h = h_.rows(x.rows(), v.cols(), x.device());  // (m, k)
  if (store.has_bf16_copy(weight_)) {
    ops::spmm(x, store.bf16_copy(weight_), z);  // `--precision bf16`: gathers the bf16 table
  } else {
    ops::spmm(x, v, z);
  }
  ops::bias_activation_forward(z, store.value(bias_), g_, h);
  return h;
}

void SparseInputLayer::backward(ParameterStore& store, const SparseMatrix& x, ConstTensorView dh,
                                Optimizer* optimizer) {
  const ops::LayerScope scope(name_);
  const ConstTensorView z = z_.rows(x.rows(), dh.cols(), x.device());
  TensorView dz = dz_.rows(x.rows(), dh.cols(), x.device());
  ops::activation_backward(z, dh, g_, dz);
  finish_sparse_gradient(store, weight_, optimizer, x, x.values_view(), dz, 1.0f);  // dV = X^T dZ
  finish_dense_gradient(store, bias_, optimizer, [&](TensorView db, float beta) { ops::column_sums(dz, db, 1.0f, beta); });
}

// ---- DenseLayer -------------------------------------------------------------------------------

DenseLayer::DenseLayer(ParameterStore& store, const std::string& name, std::int64_t inputs, std::int64_t outputs,
                       Activation g)
    : name_(name),
      weight_(store.declare(name + ".weight", inputs, outputs, kWeightsGroup, Init::GlorotUniform)),
      bias_(store.declare(name + ".bias", 1, outputs, kBiasesGroup, Init::Zeros)),
      g_(g) {}

ConstTensorView DenseLayer::forward(const ParameterStore& store, ConstTensorView x) {
  const ops::LayerScope scope(name_);
  const ConstTensorView w = store.value(weight_);  // (k_in, k_out)
  TensorView z = z_.rows(x.rows(), w.cols(), x.device());
  TensorView h = h_.rows(x.rows(), w.cols(), x.device());
  ops::gemm(false, false, 1.0f, x, w, 0.0f, z);
  ops::bias_activation_forward(z, store.value(bias_), g_, h);
  return h;
}

ConstTensorView DenseLayer::backward(ParameterStore& store, ConstTensorView x, ConstTensorView dh,
                                     Optimizer* optimizer) {
  const ops::LayerScope scope(name_);
  const ConstTensorView w = store.value(weight_);
  const ConstTensorView z = z_.rows(x.rows(), w.cols(), x.device());
  TensorView dz = dz_.rows(x.rows(), w.cols(), x.device());
  TensorView dx = dx_.rows(x.rows(), w.rows(), x.device());
  ops::activation_backward(z, dh, g_, dz);
  ops::gemm(false, true, 1.0f, dz, w, 0.0f, dx);  // dX = dZ W^T, before W changes
  finish_dense_gradient(store, weight_, optimizer,
                        [&](TensorView dw, float beta) { ops::gemm(true, false, 1.0f, x, dz, beta, dw); });  // X^T dZ
  finish_dense_gradient(store, bias_, optimizer, [&](TensorView db, float beta) { ops::column_sums(dz, db, 1.0f, beta); });
  return dx;
}

// ---- SparseOutputLayer ------------------------------------------------------------------------

SparseOutputLayer::SparseOutputLayer(ParameterStore& store, const std::string& name, std::int64_t inputs,
                                     std::int64_t outputs, Activation f)
    : name_(name),
      weight_(store.declare(name + ".weight", outputs, inputs, kWeightsGroup, Init::GlorotUniform)),
      bias_(store.declare(name + ".bias", 1, outputs, kBiasesGroup, Init::Zeros)),
      f_(f) {}

void SparseOutputLayer::forward_loss(const ParameterStore& store, ConstTensorView h, const SparseMatrix& targets,
                                     DeviceAccumulator& sse) {
  const ops::LayerScope scope(name_);
  TensorView errors = errors_.rows(1, targets.nnz(), targets.device());  // (1, nnz)
  ops::sddmm_squared_error(targets, h, store.value(weight_), store.value(bias_), f_, errors, TensorView(), sse);
}

ConstTensorView SparseOutputLayer::backward(ParameterStore& store, ConstTensorView h, const SparseMatrix& targets,
                                            float loss_scale, Optimizer* optimizer) {
  const ops::LayerScope scope(name_);
  const ConstTensorView errors = errors_.rows(1, targets.nnz(), targets.device());
  const ConstTensorView w = std::as_const(store).value(weight_);  // (n, k); a read: W's bf16 copy stays valid
  TensorView dh = dh_.rows(targets.rows(), w.cols(), targets.device());
  ops::spmm(targets, errors, w, dh, loss_scale, 0.0f);  // dH = s E W, before W changes
  finish_gradients(store, h, targets, errors, loss_scale, optimizer);
  return dh;
}

// The largest k whose rows the fused CUDA kernel keeps in registers (kernels/cuda/sddmm_backprop.cu).
constexpr std::int64_t kFusedOutputLayerMaxColumns = 512;

ConstTensorView SparseOutputLayer::forward_backward(ParameterStore& store, ConstTensorView h,
                                                    const SparseMatrix& targets, float loss_scale,
                                                    DeviceAccumulator& sse, Optimizer* optimizer) {
  const ops::LayerScope scope(name_);
  if (h.cols() > kFusedOutputLayerMaxColumns) {
    forward_loss(store, h, targets, sse);
    return backward(store, h, targets, loss_scale, optimizer);
  }
  TensorView errors = errors_.rows(1, targets.nnz(), targets.device());
  TensorView dh = dh_.rows(targets.rows(), h.cols(), targets.device());
  // E and dH = s E W in one pass, before W changes; W_j gathered from its bf16 table when it has one.
  // (Read-only access: a mutable one would mark the bf16 copy stale.)
  const ParameterStore& weights = std::as_const(store);
  ops::sddmm_squared_error_backprop(targets, h, weights.value(weight_), weights.bf16_copy(weight_),
                                    weights.value(bias_), f_, loss_scale, errors, dh, sse);
  finish_gradients(store, h, targets, errors, loss_scale, optimizer);
  return dh;
}

void SparseOutputLayer::finish_gradients(ParameterStore& store, ConstTensorView h, const SparseMatrix& targets,
                                         ConstTensorView errors, float loss_scale, Optimizer* optimizer) {
  const ops::LayerScope scope(name_);
  finish_sparse_gradient(store, weight_, optimizer, targets, errors, h, loss_scale);  // dW = s E^T H
  finish_dense_gradient(store, bias_, optimizer, [&](TensorView dc, float beta) {
    ops::sparse_column_sums(targets, errors, dc, loss_scale, beta);  // dc = s colsum(E)
  });
}

void SparseOutputLayer::predict_at(const ParameterStore& store, ConstTensorView h, const SparseMatrix& pattern,
                                   TensorView out) {
  const ops::LayerScope scope(name_);
  // The fused loss kernel computes the predictions on the way; its squared errors are discarded.
  TensorView errors = errors_.rows(1, pattern.nnz(), pattern.device());
  DeviceAccumulator discarded(pattern.device());
  ops::sddmm_squared_error(pattern, h, store.value(weight_), store.value(bias_), f_, errors, out, discarded);
}

void SparseOutputLayer::predict_dense(const ParameterStore& store, ConstTensorView h, TensorView out) {
  const ops::LayerScope scope(name_);
  ops::gemm(false, true, 1.0f, h, store.value(weight_), 0.0f, out);  // (m, n) = H W^T
  ops::bias_activation_forward(out, store.value(bias_), f_, out);
}

}  // namespace engine
