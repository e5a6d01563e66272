// Biased matrix factorisation (Koren, Bell and Volinsky 2009), the baseline rating models are compared
// against:   r(i, j) ~ c_j + d_i + <P_i, Q_j>   for row i and column j of the training matrix, with
// row factors P (rows, k), column factors Q (inputs, k), row biases d and column biases c. The global
// mean is folded into the column biases (start_at_mean sets every c_j to it), which gives the same
// predictions as mu + b_i + b_j with unregularised biases. The factors are L2-regularised (group
// "weights", the trainer's lambda), the biases not (group "biases").
//
// Trained on the same trainer as AutoRec: a mini-batch is a set of rows; their factors are looked up
// as S . P with S the batch's one-hot row selection (a sparse matrix), so the backward to P is the
// engine's fused sparse update (ops::spmm_transposed_update), exact or lazy like AutoRec's input layer.
// Kind "mf" of the model interface (rating_model.h); settings: factors, seed.
#pragma once

#include <cstdint>

#include "autorec/rating_model.h"
#include "engine/device_array.h"
#include "engine/layers.h"

namespace autorec {

struct MatrixFactorizationConfig {
  Orientation orientation = Orientation::ItemBased;  // which side the trainer batches
  std::int64_t factors = 64;                          // k
  std::uint64_t seed = 1;                             // initialisation (Glorot uniform factors)
};

ModelRecord matrix_factorization_record(const MatrixFactorizationConfig& config, std::int64_t rows,
                                        std::int64_t inputs);
MatrixFactorizationConfig matrix_factorization_config(const ModelRecord& record);

class MatrixFactorization final : public RatingModel {
 public:
  MatrixFactorization(const MatrixFactorizationConfig& config, std::int64_t rows, std::int64_t inputs,
                      engine::Device device);

  ModelRecord record() const override { return matrix_factorization_record(config_, rows_, inputs_); }
  Orientation orientation() const override { return config_.orientation; }
  std::int64_t n_inputs() const override { return inputs_; }
  std::int64_t n_rows() const override { return rows_; }
  void train_batch(const RowBlock& batch, float loss_scale, engine::DeviceAccumulator& sse, std::uint64_t seed,
                   engine::Optimizer* optimizer) override;
  void predict_at(const RowBlock& block, const engine::SparseMatrix& pattern, engine::TensorView out) override;
  void predict_rows(const RowBlock& block, engine::TensorView out) override;
  // The rows' factors P_i.
  engine::ConstTensorView encode(const RowBlock& block) override;
  void start_at_mean(float mean) override;
  engine::ParameterStore& parameters() override { return store_; }
  const engine::ParameterStore& parameters() const override { return store_; }

  engine::ParameterId row_factors() const { return row_factors_; }        // P (rows, k)
  engine::ParameterId column_factors() const { return column_factors_; }  // Q (inputs, k)
  engine::ParameterId row_biases() const { return row_biases_; }          // d (rows, 1)
  engine::ParameterId column_biases() const { return column_biases_; }    // c (1, inputs)

 private:
  // The block's one-hot selection S (block rows, rows), gathered on the model's device from the
  // resident identity (no host-side sparse work per batch: only the row ids are uploaded), and its
  // row factors H = S . P and row biases S . d.
  void look_up(const RowBlock& block);
  // out (1, nnz) = c_j + d_i + <H_i, Q_j> at the nonzeros of `pattern`.
  void predict_pattern(const engine::SparseMatrix& pattern, engine::TensorView out);

  MatrixFactorizationConfig config_;
  std::int64_t rows_, inputs_;
  engine::ParameterStore store_;
  engine::ParameterId row_factors_, column_factors_, row_biases_, column_biases_;
  engine::SparseMatrix identity_;   // (rows, rows), resident: S is a gather of its rows
  engine::DeviceArray<engine::index_t> row_ids_;  // the current block's row ids, on the device
  engine::SparseMatrix selection_;  // S of the current block
  engine::Workspace h_, row_bias_, dh_, d_row_bias_, per_entry_, errors_, ones_rows_, ones_cols_, ones_entries_;
};

}  // namespace autorec
