// The AutoRec model (Sedhain et al. 2015) on the engine's layers. Item-based (I-AutoRec) rows are
// items and the inputs are their vectors of user ratings; user-based (U-AutoRec) swaps the roles.
// Any number of hidden layers: hidden = {500} is the paper's model, {500, 250, 500} its deep variant.
// Kind "autorec" of the model interface (rating_model.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autorec/rating_model.h"
#include "engine/layers.h"

namespace autorec {

using engine::Activation;

// Parses a name of engine::kActivationNames ("sigmoid", "relu", ...); throws ConfigError otherwise.
Activation parse_activation(const std::string& name);
std::string activation_name(Activation activation);

struct ModelConfig {
  Orientation orientation = Orientation::ItemBased;
  std::vector<std::int64_t> hidden = {500};
  Activation hidden_activation = Activation::Sigmoid;  // every hidden layer (the paper: sigmoid)
  Activation output_activation = Activation::Identity; // the decoder (the paper: identity)
  float dropout = 0.0f;                                 // inverted dropout on hidden activations, training only
  std::uint64_t seed = 1;                               // initialisation
};

// AutoRec's configuration as a model record (kind "autorec", rows 0: any) and back.
ModelRecord autorec_record(const ModelConfig& config, std::int64_t n_inputs);
ModelConfig autorec_config(const ModelRecord& record);

class AutoRecModel final : public RatingModel {
 public:
  // n_inputs: length of an input row (users for item-based, items for user-based).
  AutoRecModel(const ModelConfig& config, std::int64_t n_inputs, engine::Device device);

  // Forward and backward on one batch of rows (inputs = targets = the batch's observed ratings): adds
  // the batch's sum of squared errors to `sse`, and the gradient loss_scale * d(sse/2) either ADDS to
  // the gradient buffer (optimizer null) or is applied at once by `optimizer`, fused into the backward
  // pass (after its begin_step(); see engine/layers.h).
  void train_batch(const engine::SparseMatrix& batch, float loss_scale, engine::DeviceAccumulator& sse,
                   std::uint64_t dropout_seed, engine::Optimizer* optimizer = nullptr);
  // Predictions at the nonzeros of `pattern` for the rows whose inputs are `inputs` (same row count):
  // out (1, pattern.nnz()), unclipped.
  void predict_at(const engine::SparseMatrix& inputs, const engine::SparseMatrix& pattern, engine::TensorView out);
  // Full predicted rows (inputs.rows(), n_inputs), for ranking.
  void predict_rows(const engine::SparseMatrix& inputs, engine::TensorView out);
  // Sets every output bias to `value` (the trainer starts it at the mean training rating, so the
  // first epochs learn structure instead of crawling from 0 to the rating scale's offset).
  void set_output_bias(float value);
  // The code layer (the middle hidden layer's activations) for the given rows.
  engine::ConstTensorView encode(const engine::SparseMatrix& inputs);

  // The model interface: AutoRec reads a row from its ratings, so it ignores the blocks' row ids.
  ModelRecord record() const override { return autorec_record(config_, n_inputs_); }
  Orientation orientation() const override { return config_.orientation; }
  std::int64_t n_inputs() const override { return n_inputs_; }
  std::int64_t n_rows() const override { return 0; }
  void train_batch(const RowBlock& batch, float loss_scale, engine::DeviceAccumulator& sse, std::uint64_t seed,
                   engine::Optimizer* optimizer) override {
    train_batch(batch.ratings, loss_scale, sse, seed, optimizer);
  }
  void predict_at(const RowBlock& block, const engine::SparseMatrix& pattern, engine::TensorView out) override {
    predict_at(block.ratings, pattern, out);
  }
  void predict_rows(const RowBlock& block, engine::TensorView out) override { predict_rows(block.ratings, out); }
  engine::ConstTensorView encode(const RowBlock& block) override { return encode(block.ratings); }
  void start_at_mean(float mean) override { set_output_bias(mean); }

  const ModelConfig& config() const { return config_; }
  engine::ParameterStore& parameters() override { return store_; }
  const engine::ParameterStore& parameters() const override { return store_; }
  std::vector<engine::ParameterId> gathered_tables() const override { return {input_.weight(), output_.weight()}; }

 private:
  // Runs the encoder stack; `training` applies dropout with `dropout_seed`.
  engine::ConstTensorView forward_hidden(const engine::SparseMatrix& inputs, bool training, std::uint64_t dropout_seed);

  ModelConfig config_;
  std::int64_t n_inputs_;
  engine::ParameterStore store_;
  engine::SparseInputLayer input_;
  std::vector<engine::DenseLayer> hidden_;
  engine::SparseOutputLayer output_;
  std::vector<engine::ConstTensorView> activations_;  // per hidden layer (after dropout), this batch
  std::vector<engine::Workspace> dropped_;            // per hidden layer: dropped activations, then gradients
};

}  // namespace autorec
