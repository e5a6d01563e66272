#include "autorec/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "autorec/error.h"
#include "engine/random.h"

namespace autorec {
namespace {

constexpr double kNoValidation = std::numeric_limits<double>::quiet_NaN();

// A permutation of [0, n) from (seed, epoch): Fisher-Yates driven by the counter-based generator.
std::vector<engine::index_t> shuffled_rows(engine::index_t n, std::uint64_t seed, int epoch) {
  std::vector<engine::index_t> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), 0);
  const std::uint64_t stream = engine::mix64(seed, static_cast<std::uint64_t>(epoch));
  for (std::size_t i = rows.size(); i > 1; --i) {
    const std::size_t j = engine::mix64(stream, i) % i;
    std::swap(rows[i - 1], rows[j]);
  }
  return rows;
}

// Models choose their groups: AutoRec and MF have both "weights" and "biases", others may not.
bool has_group(const engine::ParameterStore& store, const char* name) {
  const auto& groups = store.groups();
  return std::any_of(groups.begin(), groups.end(), [&](const engine::GroupRange& g) { return g.name == name; });
}

std::unique_ptr<engine::Optimizer> make_optimizer(const TrainConfig& c, const engine::ParameterStore& store) {
  switch (c.optimizer) {
    case OptimizerKind::Adam:
      return std::make_unique<engine::Adam>(store, engine::AdamParams{c.learning_rate});
    case OptimizerKind::AdamW: {
      engine::AdamParams params{c.learning_rate};
      params.weight_decay = c.weight_decay;
      params.decoupled_weight_decay = true;
      auto adamw = std::make_unique<engine::Adam>(store, params);
      if (has_group(store, engine::kBiasesGroup)) adamw->settings(engine::kBiasesGroup).weight_decay = 0.0f;
      return adamw;
    }
    case OptimizerKind::Sgd:
      return std::make_unique<engine::Sgd>(store, engine::SgdParams{c.learning_rate, c.momentum, 0.0f, false});
    case OptimizerKind::Rprop:
      return std::make_unique<engine::Rprop>(store, engine::RpropParams{}, c.learning_rate);
  }
  throw ConfigError("unknown optimizer");
}

double mean_value(const engine::SparseMatrix& m) {
  double sum = 0.0;
  for (float v : m.values_host()) sum += v;
  return sum / static_cast<double>(m.nnz());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Trainer::Trainer(RatingModel& model, const TrainConfig& config)
    : model_(model),
      config_(config),
      optimizer_(make_optimizer(config, model.parameters())),
      best_(model.parameters().clone()) {
  optimizer_->set_lazy(config.lazy_updates);
  if (config.precision == Precision::Bf16) {
    const std::vector<engine::ParameterId> tables = model.gathered_tables();
    AUTOREC_CONFIG_CHECK(!tables.empty(), "bf16 precision applies to models that gather weight tables (AutoRec's "
                                          "sparse layers); this model gathers none");
    for (const engine::ParameterId id : tables) model.parameters().keep_bf16_copy(id);
  }
  AUTOREC_CONFIG_CHECK(config.batch_size >= 0, "batch size must be >= 0 (0 = full batch)");
  AUTOREC_CONFIG_CHECK(config.max_epochs >= 0 && config.patience >= 1, "epochs must be >= 0 and patience >= 1");
  check_lr_schedule(config.lr_schedule);
  AUTOREC_CONFIG_CHECK(config.lr_schedule.kind == LrScheduleKind::Constant || optimizer_->has_learning_rate(),
                       "the ", lr_schedule_name(config.lr_schedule.kind), " learning-rate schedule needs an optimizer "
                       "with a learning rate; ", optimizer_->name(), " adapts its own step sizes");
}

float Trainer::learning_rate_of(int epoch) const {
  return scheduled_learning_rate(config_.lr_schedule, config_.learning_rate, config_.max_epochs, epoch, history_);
}

void Trainer::restore_progress(std::vector<EpochRecord> history, int best_epoch, double best_validation_rmse) {
  history_ = std::move(history);
  // The rates are not saved: the schedule gives them again from the earlier epochs.
  std::vector<EpochRecord> done;
  for (EpochRecord& record : history_) {
    record.learning_rate = scheduled_learning_rate(config_.lr_schedule, config_.learning_rate, config_.max_epochs,
                                                   record.epoch, done);
    done.push_back(record);
  }
  best_epoch_ = best_epoch;
  best_validation_rmse_ = best_validation_rmse;
}

// The L2 term's gradient for a step covering `row_fraction` of the rows, added by the optimizer inside
// its update (no extra pass over the weights). A model without a "weights" group has no L2 term.
void Trainer::set_l2_term(double row_fraction) {
  if (!has_group(model_.parameters(), engine::kWeightsGroup)) return;
  optimizer_->set_l2(engine::kWeightsGroup, static_cast<float>(config_.lambda * row_fraction * loss_scale_));
}

bool Trainer::run_epoch(engine::RowBatches& row_batches, const engine::SparseMatrix& train, int epoch,
                        const TrainCallbacks& callbacks, const std::atomic<bool>* stop, EpochRecord& record) {
  engine::ParameterStore& store = model_.parameters();
  const engine::Device device = store.device();
  // RProp needs the whole gradient before its step (supports_fused_updates() is false): full batch.
  const bool full_batch = config_.batch_size == 0 || !optimizer_->supports_fused_updates();
  // Full-batch gradients are still computed in chunks of rows to bound the activations' memory.
  const std::int64_t rows_per_batch = config_.batch_size > 0 ? config_.batch_size : 4096;
  const std::vector<engine::index_t> order = shuffled_rows(train.rows(), config_.seed, epoch);
  row_batches.set_order(order);  // uploaded once per epoch
  const std::int64_t batches = (train.rows() + rows_per_batch - 1) / rows_per_batch;
  // Mini-batches are fused: each parameter takes its step inside the backward pass, so no gradient
  // buffer is zeroed or read back; a full batch accumulates its chunks' gradients first.
  engine::Optimizer* fused = full_batch ? nullptr : optimizer_.get();
  engine::DeviceAccumulator sse(device);
  if (full_batch) store.zero_grads();
  for (std::int64_t b = 0; b < batches; ++b) {
    if (stop != nullptr && stop->load()) return false;
    const std::int64_t begin = b * rows_per_batch;
    const std::int64_t end = std::min<std::int64_t>(begin + rows_per_batch, train.rows());
    const engine::SparseMatrix& batch = row_batches.batch(begin, static_cast<engine::index_t>(end - begin));
    const std::uint64_t dropout_seed = engine::mix64(config_.seed ^ 0xD0D0, static_cast<std::uint64_t>(epoch) << 32 | static_cast<std::uint64_t>(b));
    if (fused != nullptr) {
      set_l2_term(static_cast<double>(end - begin) / static_cast<double>(train.rows()));
      fused->begin_step();
    }
    const RowBlock block{batch, std::span<const engine::index_t>(order).subspan(static_cast<std::size_t>(begin),
                                                                                 static_cast<std::size_t>(end - begin))};
    model_.train_batch(block, static_cast<float>(loss_scale_), sse, dropout_seed, fused);
    if (callbacks.on_batch) callbacks.on_batch(epoch, b + 1, batches);
  }
  if (full_batch) {
    set_l2_term(1.0);
    optimizer_->step(store);
  }
  const double sum_squared = sse.read();
  record.train_rmse = train.nnz() > 0 ? std::sqrt(sum_squared / static_cast<double>(train.nnz())) : 0.0;
  // A model without a weights group (a bias-only model, say) has no L2 term.
  const double l2 =
      has_group(store, engine::kWeightsGroup) ? engine::l2_penalty(store, engine::kWeightsGroup, config_.lambda) : 0.0;
  record.train_loss = loss_scale_ * (0.5 * sum_squared + l2);
  return true;
}

void Trainer::fit(const engine::SparseMatrix& train, const ValidationFn& validate, const TrainCallbacks& callbacks,
                  const std::atomic<bool>* stop) {
  AUTOREC_CONFIG_CHECK(train.cols() == model_.n_inputs(), "training rows have ", train.cols(),
                       " columns, the model expects ", model_.n_inputs());
  AUTOREC_CONFIG_CHECK(model_.n_rows() == 0 || train.rows() == model_.n_rows(), "the training matrix has ",
                       train.rows(), " rows, the model expects ", model_.n_rows());
  loss_scale_ = config_.loss == LossKind::Mean && train.nnz() > 0 ? 1.0 / static_cast<double>(train.nnz()) : 1.0;
  interrupted_ = false;
  if (history_.empty() && train.nnz() > 0) model_.start_at_mean(static_cast<float>(mean_value(train)));
  const bool has_validation = static_cast<bool>(validate);
  // The training matrix is resident on the model's device for the whole run; batches form there.
  const engine::Device device = model_.parameters().device();
  const bool elsewhere = !(train.device() == device);
  const engine::SparseMatrix uploaded = elsewhere ? train.to(device) : engine::SparseMatrix();
  const engine::SparseMatrix& resident = elsewhere ? uploaded : train;
  engine::RowBatches batches(resident);
  for (int epoch = static_cast<int>(history_.size()) + 1; epoch <= config_.max_epochs; ++epoch) {
    if (best_epoch_ > 0 && epoch - best_epoch_ > config_.patience) break;
    const auto start = std::chrono::steady_clock::now();
    EpochRecord record;
    record.epoch = epoch;
    record.learning_rate = learning_rate_of(epoch);
    if (config_.lr_schedule.kind != LrScheduleKind::Constant)
      optimizer_->set_learning_rate(static_cast<float>(record.learning_rate));
    if (!run_epoch(batches, resident, epoch, callbacks, stop, record)) {
      interrupted_ = true;
      return;  // the caller may checkpoint; weights stay as they are mid-epoch
    }
    record.validation_rmse = has_validation ? validate(model_) : kNoValidation;
    record.seconds = seconds_since(start);
    // A NaN validation score (a diverged model) is never an improvement.
    const bool improved = !has_validation || (std::isfinite(record.validation_rmse) &&
                                              (best_epoch_ == 0 || record.validation_rmse < best_validation_rmse_));
    if (improved) {
      best_epoch_ = epoch;
      best_validation_rmse_ = record.validation_rmse;
      if (has_validation) best_.copy_values_from(model_.parameters());
    }
    history_.push_back(record);
    if (callbacks.on_epoch) callbacks.on_epoch(record);
    if (!std::isfinite(record.train_loss)) break;  // diverged: more epochs cannot recover
  }
  if (has_validation && best_epoch_ > 0) model_.parameters().copy_values_from(best_);
}

}  // namespace autorec
