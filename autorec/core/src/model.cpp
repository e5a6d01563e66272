#include "autorec/model.h"

#include <cstdio>
#include <sstream>

#include "autorec/error.h"

#include "engine/ops.h"
#include "engine/random.h"

namespace autorec {
namespace {

std::string layer_name(std::size_t i) { return "hidden" + std::to_string(i + 1); }

}  // namespace

AutoRecModel::AutoRecModel(const ModelConfig& config, std::int64_t n_inputs, engine::Device device)
    : config_(config),
      n_inputs_(n_inputs),
      input_(store_, "encoder", n_inputs, config.hidden.empty() ? 1 : config.hidden.front(), config.hidden_activation),
      output_(store_, "decoder", config.hidden.empty() ? 1 : config.hidden.back(), n_inputs, config.output_activation) {
  AUTOREC_CONFIG_CHECK(!config.hidden.empty(), "the model needs at least one hidden layer");
  for (std::int64_t size : config.hidden) {
    AUTOREC_CONFIG_CHECK(size > 0, "hidden layer sizes must be positive, got ", size);
  }
  AUTOREC_CONFIG_CHECK(config.dropout >= 0.0f && config.dropout < 1.0f, "dropout must be in [0, 1), got ",
                       config.dropout);
  hidden_.reserve(config.hidden.size() - 1);
  for (std::size_t i = 1; i < config.hidden.size(); ++i) {
    hidden_.emplace_back(store_, layer_name(i), config.hidden[i - 1], config.hidden[i], config.hidden_activation);
  }
  dropped_.resize(config.hidden.size());
  store_.finalize(device, config.seed);
}

engine::ConstTensorView AutoRecModel::forward_hidden(const engine::SparseMatrix& inputs, bool training,
                                                     std::uint64_t dropout_seed) {
  activations_.clear();
  const bool drop = training && config_.dropout > 0.0f;
  // Layer l's output, after dropout when training; the next layer's input.
  auto maybe_drop = [&](engine::ConstTensorView h, std::size_t layer) -> engine::ConstTensorView {
    if (!drop) return h;
    engine::TensorView dropped = dropped_[layer].rows(h.rows(), h.cols(), h.device());
    engine::ops::dropout(h, dropped, config_.dropout, engine::mix64(dropout_seed, layer));
    return dropped;
  };
  activations_.push_back(maybe_drop(input_.forward(store_, inputs), 0));
  for (std::size_t i = 0; i < hidden_.size(); ++i) {
    activations_.push_back(maybe_drop(hidden_[i].forward(store_, activations_.back()), i + 1));
  }
  return activations_.back();
}

void AutoRecModel::train_batch(const engine::SparseMatrix& batch, float loss_scale, engine::DeviceAccumulator& sse,
                               std::uint64_t dropout_seed, engine::Optimizer* optimizer) {
  const engine::ConstTensorView code = forward_hidden(batch, true, dropout_seed);
  engine::ConstTensorView grad = output_.forward_backward(store_, code, batch, loss_scale, sse, optimizer);
  // Back through the stack; dropout's backward replays its mask on the gradient.
  for (std::size_t layer = hidden_.size() + 1; layer-- > 0;) {
    if (config_.dropout > 0.0f) {
      engine::TensorView undropped = dropped_[layer].rows(grad.rows(), grad.cols(), grad.device());
      engine::ops::dropout(grad, undropped, config_.dropout, engine::mix64(dropout_seed, layer));
      grad = undropped;
    }
    if (layer == 0) {
      input_.backward(store_, batch, grad, optimizer);
    } else {
      grad = hidden_[layer - 1].backward(store_, activations_[layer - 1], grad, optimizer);
    }
  }
}

void AutoRecModel::predict_at(const engine::SparseMatrix& inputs, const engine::SparseMatrix& pattern,
                              engine::TensorView out) {
  output_.predict_at(store_, forward_hidden(inputs, false, 0), pattern, out);
}

void AutoRecModel::predict_rows(const engine::SparseMatrix& inputs, engine::TensorView out) {
  output_.predict_dense(store_, forward_hidden(inputs, false, 0), out);
}

void AutoRecModel::set_output_bias(float value) {
  engine::ops::fill(store_.value(output_.bias()), value);
}

engine::ConstTensorView AutoRecModel::encode(const engine::SparseMatrix& inputs) {
  forward_hidden(inputs, false, 0);
  return activations_[activations_.size() / 2];
}

}  // namespace autorec
