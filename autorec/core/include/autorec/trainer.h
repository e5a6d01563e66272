// Training: mini-batches of rows in a shuffled order (or the full batch, for RProp), the paper's
// objective, early stopping on validation RMSE keeping the best weights, and checkpoint/resume hooks.
//
// Objective. The paper minimises   (1/2) sum_obs (y - r)^2 + (lambda/2) ||W||^2   over the whole
// training set. A batch holding a fraction q of the rows contributes (1/2) SSE_batch + q (lambda/2)
// ||W||^2, so one epoch of batches adds up to exactly the paper's objective and lambda means the same
// for every batch size. LossKind::Mean divides the error term by the number of training ratings
// (the same minimiser, gradients of a friendlier scale for SGD).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "autorec/lr_schedule.h"
#include "autorec/rating_model.h"
#include "engine/optimizers.h"
#include "engine/row_batches.h"
#include "engine/sparse_matrix.h"

namespace autorec {

enum class OptimizerKind { Adam, AdamW, Sgd, Rprop };
enum class LossKind { Sum, Mean };
// The storage of the tables the sparse kernels gather (TrainConfig::precision).
enum class Precision { Fp32, Bf16 };
std::string precision_name(Precision precision);                // "fp32", "bf16"
Precision parse_precision(const std::string& name);             // throws ConfigError when unknown

OptimizerKind parse_optimizer(const std::string& name);  // "adam", "adamw", "sgd", "rprop"
std::string optimizer_name(OptimizerKind kind);

// AutoRec's recommended mini-batch settings, the CLI's defaults for --model item and user: batches of
// 1024 rows, Adam/AdamW at 0.002 (chosen on validation RMSE against 256 / 0.001: docs/benchmarks.md,
// "The default batch size"). TrainConfig{} keeps 256 / 0.001, so that code written against it
// reproduces; set these two fields to train as the CLI does. (MF keeps 256, with its own rate 0.01.)
inline constexpr std::int64_t kAutoRecBatchSize = 1024;
inline constexpr float kAutoRecAdamRate = 0.002f;

struct TrainConfig {
  OptimizerKind optimizer = OptimizerKind::Adam;
  float learning_rate = 1e-3f;
  float momentum = 0.9f;           // SGD
  float lambda = 100.0f;           // L2 on the model's "weights" group (the paper's lambda; its ML-1M value), never on biases
  float weight_decay = 0.0f;       // AdamW only: decoupled decay per step, w -= lr * weight_decay * w
  LossKind loss = LossKind::Sum;
  std::int64_t batch_size = 256;   // rows per batch; 0 = full batch (RProp always uses the full batch)
  // Mini-batch updates of the sparse layers: exact (false) steps every weight row each batch, as
  // full-gradient Adam/SGD do (rows a batch leaves untouched still take their L2 term's step); lazy
  // (true) steps only the rows the batch touches (LazyAdam / SparseAdam). See docs/usage.md.
  bool lazy_updates = false;
  // Bf16: the gathered tables (RatingModel::gathered_tables) are read from bf16 copies, fp32 sums,
  // fp32 master weights and optimizer state; the update epilogue refreshes the copies. See docs/usage.md.
  Precision precision = Precision::Fp32;
  int max_epochs = 200;
  int patience = 10;               // epochs without validation improvement before stopping
  std::uint64_t seed = 1;          // batch order and dropout
  // The learning rate per epoch (lr_schedule.h); cosine runs over max_epochs. Anything but constant
  // needs an optimizer with a learning rate (not RProp).
  LrSchedule lr_schedule;
};

struct EpochRecord {
  int epoch = 0;                 // 1-based
  double train_loss = 0.0;       // the objective (error + L2 term), summed over the epoch
  double train_rmse = 0.0;       // from the epoch's training errors (before each batch's update)
  double validation_rmse = 0.0;  // NaN without a validation set
  double seconds = 0.0;
  double learning_rate = 0.0;    // the rate of this epoch (TrainConfig::lr_schedule); not saved, recomputed
};

// Called after every batch (batches done in this epoch, batches per epoch) and after every epoch.
struct TrainCallbacks {
  std::function<void(int epoch, std::int64_t batch, std::int64_t batches)> on_batch;
  std::function<void(const EpochRecord&)> on_epoch;
};

// Validation RMSE of the model as it stands (the evaluator plugs in here; NaN = no validation).
using ValidationFn = std::function<double(RatingModel&)>;

class Trainer {
 public:
  // Any model of the interface (rating_model.h); it must outlive the trainer.
  Trainer(RatingModel& model, const TrainConfig& config);

  // Trains on `train` (rows = the model's rows, on any device: it is uploaded once to the model's
  // device, where every mini-batch is then formed) until max_epochs,
  // early stopping, or *stop becomes true (checked between batches: the epoch in progress is
  // abandoned, history keeps the finished epochs, the weights stay as they are and interrupted()
  // is set). Training also stops when the loss becomes non-finite (diverged). Otherwise, on return
  // the model holds the weights of the epoch with the best validation RMSE (NaN scores never count
  // as best), or the last ones without validation. A fresh run (no history) first tells the model
  // the mean training rating (RatingModel::start_at_mean).
  void fit(const engine::SparseMatrix& train, const ValidationFn& validate, const TrainCallbacks& callbacks,
           const std::atomic<bool>* stop = nullptr);

  const std::vector<EpochRecord>& history() const { return history_; }
  int best_epoch() const { return best_epoch_; }
  double best_validation_rmse() const { return best_validation_rmse_; }
  bool interrupted() const { return interrupted_; }
  engine::Optimizer& optimizer() { return *optimizer_; }

  // Resume support: the epochs done so far and the best weights seen (checkpoints save both).
  void restore_progress(std::vector<EpochRecord> history, int best_epoch, double best_validation_rmse);
  engine::ParameterStore& best_parameters() { return best_; }

 private:
  // One pass over the rows; returns false if interrupted.
  bool run_epoch(engine::RowBatches& row_batches, const engine::SparseMatrix& train, int epoch,
                 const TrainCallbacks& callbacks, const std::atomic<bool>* stop, EpochRecord& record);
  void set_l2_term(double row_fraction);
  float learning_rate_of(int epoch) const;  // the schedule's rate, from the history before `epoch`

  RatingModel& model_;
  TrainConfig config_;
  std::unique_ptr<engine::Optimizer> optimizer_;
  engine::ParameterStore best_;  // a copy of the parameters at the best epoch
  std::vector<EpochRecord> history_;
  int best_epoch_ = 0;
  double best_validation_rmse_ = 0.0;
  bool interrupted_ = false;
  double loss_scale_ = 1.0;
};

}  // namespace autorec
