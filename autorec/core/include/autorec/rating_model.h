// The model interface: everything the trainer, evaluation, ranking, predictions, checkpoints, export
// and the CLI need from a rating model, so that each of them works for any model. AutoRec (model.h)
// and biased matrix factorisation (matrix_factorization.h) implement it; make_model() builds one by
// name from its configuration record (model_factory.cpp holds the table of names).
//
// A model sees the ratings as a matrix in its orientation: one row per item (item-based) or per user
// (user-based), one column per user or item. The trainer hands it mini-batches of rows; prediction
// hands it blocks of rows with the columns to predict.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/accumulator.h"
#include "engine/optimizers.h"
#include "engine/parameters.h"
#include "engine/sparse_matrix.h"

namespace autorec {

enum class Orientation { ItemBased, UserBased };

// "item", "user" (and the names back); throws ConfigError otherwise.
Orientation parse_orientation(const std::string& name);
std::string orientation_name(Orientation orientation);

// Rows of the training matrix handed to a model: their training ratings (one row each, on the model's
// device; an autoencoder's inputs, and the targets while training) and their row ids on the host
// (models with a table of per-row parameters, such as matrix factorisation, look rows up by id).
struct RowBlock {
  const engine::SparseMatrix& ratings;
  std::span<const engine::index_t> rows;
};

// A model's configuration record, as checkpoints store it, --resume compares it and reports print it:
// the factory name of its kind, its shape, and its settings as named text values (each model reads
// its own and rejects unknown ones), so that storing or comparing a model never needs its type.
struct ModelRecord {
  std::string kind;  // the factory name: "autorec", "mf"
  Orientation orientation = Orientation::ItemBased;
  std::int64_t rows = 0;    // rows of the training matrix; 0 = any (AutoRec reads a row from its ratings)
  std::int64_t inputs = 0;  // columns of the training matrix
  std::vector<std::pair<std::string, std::string>> settings;

  // The value of `key`; throws ConfigError naming the kind when it is absent.
  const std::string& setting(const std::string& key) const;
  bool has(const std::string& key) const;
  // Throws ConfigError naming the first setting not in `known`.
  void require_only(std::initializer_list<const char*> known) const;
  bool operator==(const ModelRecord&) const = default;
};

class RatingModel {
 public:
  virtual ~RatingModel() = default;

  // The configuration record: make_model(record(), device) builds a model of the same layout.
  virtual ModelRecord record() const = 0;
  virtual Orientation orientation() const = 0;
  virtual std::int64_t n_inputs() const = 0;  // columns of the training matrix
  virtual std::int64_t n_rows() const = 0;    // rows of the training matrix; 0 = any

  // Forward and backward on one mini-batch of rows, loss = loss_scale * (1/2) * sum of squared errors
  // at the batch's observed ratings: adds the batch's sum of squared errors to `sse`; the gradient
  // ADDS to the store's gradient buffer (optimizer null) or is applied at once by `optimizer` (after
  // its begin_step(); each parameter stepped exactly once, see engine/layers.h). `seed` drives any
  // randomness of training (dropout) for this batch.
  virtual void train_batch(const RowBlock& batch, float loss_scale, engine::DeviceAccumulator& sse,
                           std::uint64_t seed, engine::Optimizer* optimizer) = 0;
  // Predictions at the nonzeros of `pattern` (block.ratings.rows() rows, values ignored) for the rows
  // of `block`: out (1, pattern.nnz()), unclipped.
  virtual void predict_at(const RowBlock& block, const engine::SparseMatrix& pattern, engine::TensorView out) = 0;
  // Rows per predict_at call that predict_pairs should use; 0 = its own blocks. A model that blocks on
  // its own asks for one call (an ensemble: each member predicts all its queries in its own blocks,
  // where a block of the ensemble's rows would make a member of the other orientation run whole).
  virtual std::int64_t prediction_block_rows() const { return 0; }
  // Full predicted rows: out (block rows, n_inputs()), for ranking.
  virtual void predict_rows(const RowBlock& block, engine::TensorView out) = 0;
  // A representation of each row of the block (export): (block rows, its width).
  virtual engine::ConstTensorView encode(const RowBlock& block) = 0;
  // Called once before a fresh run with the mean training rating, so that the first epochs learn
  // structure rather than the rating scale's offset.
  virtual void start_at_mean(float mean) = 0;

  virtual engine::ParameterStore& parameters() = 0;
  virtual const engine::ParameterStore& parameters() const = 0;
  // The parameters whose rows the sparse kernels gather (AutoRec: V and W); `--precision bf16` keeps
  // a bf16 copy of each for those kernels. None: the model has no bf16 option.
  virtual std::vector<engine::ParameterId> gathered_tables() const { return {}; }
};

// Builds a model from its record (kind, orientation, shape, settings) on `device`; throws ConfigError
// for an unknown kind (listing the known ones) or a bad setting.
std::unique_ptr<RatingModel> make_model(const ModelRecord& record, engine::Device device);
// The known kinds, as make_model() and checkpoints spell them: the built-in ones, then registered ones.
std::vector<std::string> model_kinds();
// Adds a kind to make_model()'s table, so that research code's own model loads from its checkpoints
// (load_trained_model) like the built-in ones; `summary` gives its report line (default: the kind's
// name). Throws ConfigError when the name is taken. Not thread-safe: register before training.
using ModelMaker = std::function<std::unique_ptr<RatingModel>(const ModelRecord& record, engine::Device device)>;
void register_model_kind(const std::string& name, ModelMaker make,
                         std::function<std::string(const ModelRecord&)> summary = nullptr);
// One line for reports and logs, e.g. "I-AutoRec hidden 500 sigmoid/identity".
std::string model_summary(const ModelRecord& record);

}  // namespace autorec
