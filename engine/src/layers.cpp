#include "engine/layers.h"

#include "engine/ops.h"

namespace engine {

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
    : weight_(store.declare(name + ".weight", inputs, outputs, "weights", Init::GlorotUniform)),
      bias_(store.declare(name + ".bias", 1, outputs, "biases", Init::Zeros)),
      g_(g) {}

ConstTensorView SparseInputLayer::forward(const ParameterStore& store, const SparseMatrix& x) {
  const ConstTensorView v = store.value(weight_);  // (n, k)
  TensorView z = z_.rows(x.rows(), v.cols(), x.device());  // (m, k)
  TensorView h = h_.rows(x.rows(), v.cols(), x.device());  // (m, k)
  ops::spmm(x, v, z);
  ops::bias_activation_forward(z, store.value(bias_), g_, h);
  return h;
}

void SparseInputLayer::backward(ParameterStore& store, const SparseMatrix& x, ConstTensorView dh) {
  const ConstTensorView z = z_.rows(x.rows(), dh.cols(), x.device());
  TensorView dz = dz_.rows(x.rows(), dh.cols(), x.device());
  ops::activation_backward(z, dh, g_, dz);
  ops::spmm_transposed(x, dz, store.grad(weight_), 1.0f, 1.0f);
  ops::column_sums(dz, store.grad(bias_), 1.0f, 1.0f);
}

// ---- DenseLayer -------------------------------------------------------------------------------

DenseLayer::DenseLayer(ParameterStore& store, const std::string& name, std::int64_t inputs, std::int64_t outputs,
                       Activation g)
    : weight_(store.declare(name + ".weight", inputs, outputs, "weights", Init::GlorotUniform)),
      bias_(store.declare(name + ".bias", 1, outputs, "biases", Init::Zeros)),
      g_(g) {}

ConstTensorView DenseLayer::forward(const ParameterStore& store, ConstTensorView x) {
  const ConstTensorView w = store.value(weight_);  // (k_in, k_out)
  TensorView z = z_.rows(x.rows(), w.cols(), x.device());
  TensorView h = h_.rows(x.rows(), w.cols(), x.device());
  ops::gemm(false, false, 1.0f, x, w, 0.0f, z);
  ops::bias_activation_forward(z, store.value(bias_), g_, h);
  return h;
}

ConstTensorView DenseLayer::backward(ParameterStore& store, ConstTensorView x, ConstTensorView dh) {
  const ConstTensorView w = store.value(weight_);
  const ConstTensorView z = z_.rows(x.rows(), w.cols(), x.device());
  TensorView dz = dz_.rows(x.rows(), w.cols(), x.device());
  TensorView dx = dx_.rows(x.rows(), w.rows(), x.device());
  ops::activation_backward(z, dh, g_, dz);
  ops::gemm(true, false, 1.0f, x, dz, 1.0f, store.grad(weight_));  // dW += X^T dZ
  ops::column_sums(dz, store.grad(bias_), 1.0f, 1.0f);
  ops::gemm(false, true, 1.0f, dz, w, 0.0f, dx);  // dX = dZ W^T
  return dx;
}

// ---- SparseOutputLayer ------------------------------------------------------------------------

SparseOutputLayer::SparseOutputLayer(ParameterStore& store, const std::string& name, std::int64_t inputs,
                                     std::int64_t outputs, Activation f)
    : weight_(store.declare(name + ".weight", outputs, inputs, "weights", Init::GlorotUniform)),
      bias_(store.declare(name + ".bias", 1, outputs, "biases", Init::Zeros)),
      f_(f) {}

void SparseOutputLayer::forward_loss(const ParameterStore& store, ConstTensorView h, const SparseMatrix& targets,
                                     DeviceAccumulator& sse) {
  TensorView errors = errors_.rows(1, targets.nnz(), targets.device());  // (1, nnz)
  ops::sddmm_squared_error(targets, h, store.value(weight_), store.value(bias_), f_, errors, TensorView(), sse);
}

ConstTensorView SparseOutputLayer::backward(ParameterStore& store, ConstTensorView h, const SparseMatrix& targets,
                                            float loss_scale) {
  const ConstTensorView errors = errors_.rows(1, targets.nnz(), targets.device());
  const ConstTensorView w = store.value(weight_);  // (n, k)
  TensorView dh = dh_.rows(targets.rows(), w.cols(), targets.device());
  ops::spmm_transposed(targets, errors, h, store.grad(weight_), loss_scale, 1.0f);  // dW += s E^T H
  ops::sparse_column_sums(targets, errors, store.grad(bias_), loss_scale, 1.0f);    // dc += s colsum(E)
  ops::spmm(targets, errors, w, dh, loss_scale, 0.0f);                               // dH = s E W
  return dh;
}

void SparseOutputLayer::predict_at(const ParameterStore& store, ConstTensorView h, const SparseMatrix& pattern,
                                   TensorView out) {
  // The fused loss kernel computes the predictions on the way; its squared errors are discarded.
  TensorView errors = errors_.rows(1, pattern.nnz(), pattern.device());
  DeviceAccumulator discarded(pattern.device());
  ops::sddmm_squared_error(pattern, h, store.value(weight_), store.value(bias_), f_, errors, out, discarded);
}

void SparseOutputLayer::predict_dense(const ParameterStore& store, ConstTensorView h, TensorView out) {
  ops::gemm(false, true, 1.0f, h, store.value(weight_), 0.0f, out);  // (m, n) = H W^T
  ops::bias_activation_forward(out, store.value(bias_), f_, out);
}

}  // namespace engine
