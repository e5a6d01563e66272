// A new model on the trainer (docs/embedding.md): the baseline predictor r(i, j) ~ c_j + d_i (the
// global mean folded into the column biases), written in research code against the installed
// package. It implements autorec::RatingModel with the engine's ops, registers its kind, and then
// the library's trainer (mini-batches, fused Adam, early stopping), evaluation, ranking and
// checkpoints work for it unchanged. Exits non-zero when a check fails.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numeric>

#include "autorec/checkpoint.h"
#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/evaluate.h"
#include "autorec/trainer.h"
#include "engine/layers.h"
#include "engine/ops.h"

namespace {

class BaselinePredictor final : public autorec::RatingModel {
 public:
  BaselinePredictor(autorec::Orientation orientation, std::int64_t rows, std::int64_t inputs, engine::Device device)
      : orientation_(orientation), rows_(rows), inputs_(inputs) {
    row_bias_ = store_.declare("row_biases", rows, 1, engine::kBiasesGroup, engine::Init::Zeros);
    column_bias_ = store_.declare("column_biases", 1, inputs, engine::kBiasesGroup, engine::Init::Zeros);
    store_.finalize(device, /*seed=*/1);
  }

  autorec::ModelRecord record() const override { return {"baseline", orientation_, rows_, inputs_, {}}; }
  autorec::Orientation orientation() const override { return orientation_; }
  std::int64_t n_inputs() const override { return inputs_; }
  std::int64_t n_rows() const override { return rows_; }
  engine::ParameterStore& parameters() override { return store_; }
  const engine::ParameterStore& parameters() const override { return store_; }
  void start_at_mean(float mean) override { engine::ops::fill(store_.value(column_bias_), mean); }

  void train_batch(const autorec::RowBlock& batch, float loss_scale, engine::DeviceAccumulator& sse, std::uint64_t,
                   engine::Optimizer* optimizer) override {
    const engine::SparseMatrix& r = batch.ratings;
    engine::TensorView e = errors_.rows(1, r.nnz(), device());
    predict_at(batch, r, e);
    engine::ops::axpy(-1.0f, r.values_view(), e);  // e = prediction - rating
    engine::ops::sum_of_squares(e, sse);
    engine::ops::scale(e, loss_scale);  // the gradient of loss_scale * sse / 2 at each rating
    // dc = column sums of E; dd = S^T . (row sums of E), S the batch's one-hot row selection.
    const float beta = optimizer != nullptr ? 0.0f : 1.0f;  // fused: overwrite, then step; else accumulate
    engine::ops::sparse_column_sums(r, e, store_.grad(column_bias_), 1.0f, beta);
    if (optimizer != nullptr) optimizer->step_parameter(store_, column_bias_);
    engine::TensorView row_sums = row_grad_.rows(1, r.rows(), device());
    engine::ops::sparse_row_sums(r, e, row_sums);
    const engine::ConstTensorView as_column(device(), {row_sums.data(), r.rows(), 1, 1});
    if (optimizer != nullptr) {
      engine::ops::spmm_transposed_update(selection_, selection_.values_view(), as_column, 1.0f,
                                          store_.value(row_bias_), optimizer->update_for(store_, row_bias_));
    } else {
      engine::ops::spmm_transposed(selection_, selection_.values_view(), as_column, store_.grad(row_bias_), 1.0f, 1.0f);
    }
  }

  void predict_at(const autorec::RowBlock& block, const engine::SparseMatrix& pattern, engine::TensorView out) override {
    select(block);
    const std::int64_t count = block.ratings.rows();
    engine::TensorView row_bias = row_bias_rows_.rows(count, 1, device());
    engine::ops::spmm(selection_, store_.value(row_bias_), row_bias);  // d_i of each row of the block
    // out[p] = d_i * 1 + 1 * c_j at each nonzero p = (i, j): two SDDMMs of width 1.
    const engine::ConstTensorView c = store_.value(column_bias_);
    engine::ops::sddmm(pattern, row_bias, ones(ones_columns_, inputs_), out);
    engine::TensorView term = term_.rows(1, pattern.nnz(), device());
    engine::ops::sddmm(pattern, ones(ones_rows_, count), engine::ConstTensorView(device(), {c.data(), inputs_, 1, 1}),
                       term);
    engine::ops::axpy(1.0f, term, out);
  }

  void predict_rows(const autorec::RowBlock& block, engine::TensorView out) override {
    select(block);
    const std::int64_t count = block.ratings.rows();
    engine::TensorView row_bias = row_bias_rows_.rows(count, 1, device());
    engine::ops::spmm(selection_, store_.value(row_bias_), row_bias);
    const engine::TensorView ones_row(device(), {ones(ones_columns_, inputs_).data(), 1, inputs_, inputs_});
    engine::ops::gemm(false, false, 1.0f, row_bias, ones_row, 0.0f, out);  // d_i for every column
    engine::ops::gemm(false, false, 1.0f, ones(ones_rows_, count), store_.value(column_bias_), 1.0f, out);  // + c_j
  }

  engine::ConstTensorView encode(const autorec::RowBlock& block) override {
    select(block);
    engine::TensorView row_bias = row_bias_rows_.rows(block.ratings.rows(), 1, device());
    engine::ops::spmm(selection_, store_.value(row_bias_), row_bias);
    return row_bias;
  }

 private:
  engine::Device device() const { return store_.device(); }
  engine::TensorView ones(engine::Workspace& workspace, std::int64_t n) {
    engine::TensorView v = workspace.rows(n, 1, device());
    engine::ops::fill(v, 1.0f);
    return v;
  }
  // S (block rows, rows): row b selects the block's b-th row id.
  void select(const autorec::RowBlock& block) {
    const auto count = static_cast<engine::index_t>(block.rows.size());
    std::vector<engine::offset_t> offsets(static_cast<std::size_t>(count) + 1);
    std::iota(offsets.begin(), offsets.end(), engine::offset_t{0});
    selection_ = engine::SparseMatrix::from_csr(count, static_cast<engine::index_t>(rows_), std::move(offsets),
                                                {block.rows.begin(), block.rows.end()},
                                                std::vector<float>(static_cast<std::size_t>(count), 1.0f), device());
  }

  autorec::Orientation orientation_;
  std::int64_t rows_, inputs_;
  engine::ParameterStore store_;
  engine::ParameterId row_bias_ = 0, column_bias_ = 0;
  engine::SparseMatrix selection_;
  engine::Workspace errors_, row_grad_, row_bias_rows_, term_, ones_rows_, ones_columns_;
};

}  // namespace

int main() {
  // Its kind, so that make_model() and load_trained_model() build it from a record.
  autorec::register_model_kind("baseline", [](const autorec::ModelRecord& record, engine::Device device) {
    return std::make_unique<BaselinePredictor>(record.orientation, record.rows, record.inputs, device);
  });

  autorec::SynthOptions data_options;
  data_options.n_users = 600;
  data_options.n_items = 400;
  data_options.n_ratings = 30000;
  const autorec::Ratings ratings = autorec::generate_ratings(data_options);
  const autorec::Split outer = autorec::random_holdout(ratings, 0.1, /*seed=*/1);
  const autorec::Split inner = autorec::validation_holdout(outer.train, 0.1, /*seed=*/1);
  const auto orientation = autorec::Orientation::ItemBased;
  const engine::SparseMatrix fit_rows = autorec::to_matrix(inner.train, orientation);

  auto model = autorec::make_model({"baseline", orientation, fit_rows.rows(), fit_rows.cols(), {}},
                                   engine::Device::cpu());
  autorec::TrainConfig train_config;  // Adam, mini-batches of 256 rows (TrainConfig{}), early stopping
  train_config.learning_rate = 0.05f;
  train_config.max_epochs = 40;
  autorec::Trainer trainer(*model, train_config);
  const autorec::PredictionRules rules = autorec::rules_from_training(inner.train);
  trainer.fit(fit_rows,
              [&](autorec::RatingModel& m) {
                return autorec::rating_metrics(autorec::predict_pairs(m, fit_rows, inner.test, rules), inner.test,
                                               fit_rows, orientation)
                    .rmse;
              },
              {});

  const engine::SparseMatrix train_rows = autorec::to_matrix(outer.train, orientation);
  const autorec::PredictionRules test_rules = autorec::rules_from_training(outer.train);
  const auto metrics = autorec::rating_metrics(autorec::predict_pairs(*model, train_rows, outer.test, test_rules),
                                               outer.test, train_rows, orientation);
  const auto ranking = autorec::ranking_metrics(*model, train_rows, outer.test, 10);
  double mean = 0.0, squared = 0.0;
  for (const float v : outer.train.values) mean += v;
  mean /= static_cast<double>(outer.train.size());
  for (const float v : outer.test.values) squared += (v - mean) * (v - mean);
  const double mean_rmse = std::sqrt(squared / static_cast<double>(outer.test.size()));
  std::printf("baseline predictor: best epoch %d, test RMSE %.4f (global mean %.4f), NDCG@10 %.4f\n",
              trainer.best_epoch(), metrics.rmse, mean_rmse, ranking.ndcg);

  // A checkpoint of it, and the model file built back through the registered kind.
  // One file per process: two runs of the example at once must not share it.
  const auto path =
      std::filesystem::temp_directory_path() / ("baseline_example-" + std::to_string(getpid()) + ".ckpt");
  autorec::save_checkpoint(path, autorec::capture_checkpoint(*model, trainer, train_config, {"synthetic", "example"},
                                                             test_rules, std::make_shared<autorec::Ratings>(outer.train),
                                                             std::make_shared<autorec::Ratings>(outer.test)));
  const auto loaded = autorec::load_trained_model(autorec::load_checkpoint(path), engine::Device::cpu());
  std::filesystem::remove(path);
  const auto reloaded = autorec::rating_metrics(autorec::predict_pairs(*loaded, train_rows, outer.test, test_rules),
                                                outer.test, train_rows, orientation);
  std::printf("from its checkpoint: test RMSE %.4f\n", reloaded.rmse);
  const bool ok = metrics.rmse < mean_rmse && reloaded.rmse == metrics.rmse;
  if (!ok) std::fprintf(stderr, "new_model: the model did not beat the global mean or its checkpoint differs\n");
  return ok ? 0 : 1;
}
