#include "train_run.h"

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include <unistd.h>

#include <filesystem>

#include "autorec/bias_baseline.h"
#include "autorec/data/atomic_file.h"
#include "autorec/model.h"
#include "engine/device.h"
#include "interrupt.h"
#include "progress.h"
#include "training_log.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

// The shortest text that reads back as the same value (0.001, not 0.001000; two floats that differ
// never print alike, so a changed value cannot pass the resume check unnoticed).
template <class T>
std::string text_of(const T& value) {
  char text[64];
  const auto [end, error] = std::to_chars(text, text + sizeof text, value);
  return error == std::errc() ? std::string(text, end) : std::string("?");
}

// The --model value that builds a record: item, user (AutoRec), mf, mf-user.
std::string model_option(const ModelRecord& record) {
  const bool user_based = record.orientation == Orientation::UserBased;
  if (record.kind == "autorec") return user_based ? "user" : "item";
  return user_based ? record.kind + "-user" : record.kind;
}

// --resume continues the SAME run: same data and split, same model, same optimizer. The epoch
// budget and patience may change (to extend a run).
std::shared_ptr<const Checkpoint> load_resumable(const std::string& path, const TrainSettings& settings,
                                                 const RunData& run) {
  auto checkpoint = std::make_shared<const Checkpoint>(load_checkpoint(path));
  if (!(checkpoint->run == run.identity)) {
    throw UsageError("--resume " + path + ": the checkpoint is of another run\n  saved:   " +
                     checkpoint->run.describe() + "\n  this run: " + run.identity.describe());
  }
  check_resume_settings(path, *checkpoint, settings);
  // The same file, sizes and split can still hold other numbers: load options (--duplicates, the
  // columns, ...) or an edited file. The training part the checkpoint holds must be this one.
  const Ratings& saved = *checkpoint->inputs;
  if (saved.users != run.train->users || saved.items != run.train->items || saved.values != run.train->values) {
    throw UsageError("--resume " + path +
                     ": the training ratings differ from the checkpoint's (changed data file or load options "
                     "such as --duplicates or the columns)");
  }
  if (checkpoint->rules.default_rating != run.rules.default_rating) {
    throw UsageError("--resume " + path + ": the checkpoint was trained with --default-rating " +
                     text_of(checkpoint->rules.default_rating) + ", this command gives " +
                     text_of(run.rules.default_rating));
  }
  return checkpoint;
}

// Saves --checkpoint every N epochs and at the end. A checkpoint is captured (serialised, which on a
// GPU means copying weights and optimizer state to the host) only when it is written, never per epoch.
// Ctrl-C still saves the state of the last finished epoch: with --checkpoint, the trainer's stop flag
// is raised only at an epoch boundary (stop_flag()), so the live model IS that state when fit returns.
// The price is that Ctrl-C waits for the epoch in progress (a second Ctrl-C quits without saving).
class CheckpointKeeper {
 public:
  CheckpointKeeper(const TrainSettings& settings, const RunData& run, const std::atomic<bool>& interrupt)
      : settings_(settings), run_(run), interrupt_(interrupt) {}

  // What the trainer polls between batches: Ctrl-C itself when there is nothing to save.
  const std::atomic<bool>* stop_flag() const { return settings_.checkpoint ? &stop_at_epoch_end_ : &interrupt_; }

  void on_batch() {
    if (!settings_.checkpoint || !interrupt_.load() || told_) return;
    told_ = true;
    note(settings_.quiet, "\ninterrupt: finishing this epoch to save a consistent checkpoint (Ctrl-C again to quit "
                          "without saving)");
  }
  void on_epoch(const RatingModel& model, Trainer& trainer, int epoch) {
    if (!settings_.checkpoint) return;
    if (epoch % settings_.checkpoint_every == 0) save(model, trainer);
    if (interrupt_.load()) stop_at_epoch_end_.store(true);
  }
  // Saves the final state unless it is on disk already; returns the path or "".
  std::string finish(const RatingModel& model, Trainer& trainer) {
    if (!settings_.checkpoint || trainer.history().empty()) return "";
    if (saved_epochs_ == trainer.history().size()) return *settings_.checkpoint;
    save_final_checkpoint(*settings_.checkpoint, [&] { return capture(model, trainer); });
    saved_epochs_ = trainer.history().size();
    return *settings_.checkpoint;
  }

 private:
  Checkpoint capture(const RatingModel& model, Trainer& trainer) const {
    return capture_checkpoint(model, trainer, settings_.train, run_.identity, run_.rules, run_.train, run_.test);
  }
  void save(const RatingModel& model, Trainer& trainer) {
    save_checkpoint(*settings_.checkpoint, capture(model, trainer));
    saved_epochs_ = trainer.history().size();
  }

  const TrainSettings& settings_;
  const RunData& run_;
  const std::atomic<bool>& interrupt_;
  std::atomic<bool> stop_at_epoch_end_{false};
  std::size_t saved_epochs_ = 0;
  bool told_ = false;
};

ValidationFn make_validation(const RunData& run, const engine::SparseMatrix& fit_rows, Orientation orientation) {
  if (run.validation->empty()) return nullptr;
  return [&run, &fit_rows, orientation](RatingModel& model) {
    const std::vector<float> predictions = predict_pairs(model, fit_rows, *run.validation, run.rules);
    return rating_metrics(predictions, *run.validation, fit_rows, orientation).rmse;
  };
}

std::string log_title(const TrainSettings& s) {
  if (s.model.kind != "autorec") return model_summary(s.model) + ", " + optimizer_name(s.train.optimizer);
  const ModelConfig autorec = autorec_config(s.model);
  std::string hidden;
  for (const std::int64_t h : autorec.hidden) hidden += (hidden.empty() ? "" : "-") + std::to_string(h);
  return (autorec.orientation == Orientation::ItemBased ? "I-AutoRec " : "U-AutoRec ") + hidden + ", " +
         optimizer_name(s.train.optimizer);
}

// Why Trainer::fit returned, from what it leaves behind (the trainer's own rules: the epoch limit, no
// better validation RMSE for `patience` epochs, a non-finite loss, or the stop flag).
void describe_stop(const Trainer& trainer, const TrainConfig& config, RunOutcome& outcome) {
  const int epochs = outcome.epochs;
  if (trainer.interrupted()) {
    outcome.stop_reason = "interrupted";
    outcome.stop_description = "interrupted during epoch " + std::to_string(epochs + 1);
  } else if (epochs > 0 && !std::isfinite(trainer.history().back().train_loss)) {
    outcome.stop_reason = "diverged";
    outcome.stop_description = "diverged: the loss was not finite at epoch " + std::to_string(epochs) +
                               " (try a smaller --lr)";
  } else if (epochs < config.max_epochs) {
    outcome.stop_reason = "early_stopping";
    outcome.stop_description = "early stopping at epoch " + std::to_string(epochs) + ": no better validation RMSE in " +
                               std::to_string(epochs - trainer.best_epoch()) + " epochs after the best, epoch " +
                               std::to_string(trainer.best_epoch()) + " (--patience " +
                               std::to_string(config.patience) + ")";
  } else {
    outcome.stop_reason = "epoch_limit";
    outcome.stop_description = "reached the epoch limit (--epochs " + std::to_string(config.max_epochs) + ")";
  }
}

}  // namespace

void check_resume_settings(const std::string& path, const Checkpoint& saved, const TrainSettings& settings) {
  const ModelRecord& m = settings.model;
  const TrainConfig& t = settings.train;
  // Every option that changes the numbers, as the option's name, the saved and the new value. A model's
  // settings are named by their options (hidden, activation, dropout, factors, seed, ...).
  std::vector<std::array<std::string, 3>> options = {{"--model", model_option(saved.model), model_option(m)}};
  for (const auto& [key, value] : saved.model.settings) {
    options.push_back({"--" + key, value, m.has(key) ? m.setting(key) : "(not set)"});
  }
  const std::vector<std::array<std::string, 3>> train_options = {
      {"--optimizer", optimizer_name(saved.train.optimizer), optimizer_name(t.optimizer)},
      {"--lr", text_of(saved.train.learning_rate), text_of(t.learning_rate)},
      {"--momentum", text_of(saved.train.momentum), text_of(t.momentum)},
      {"--lambda", text_of(saved.train.lambda), text_of(t.lambda)},
      {"--weight-decay", text_of(saved.train.weight_decay), text_of(t.weight_decay)},
      {"--loss", saved.train.loss == LossKind::Mean ? "mean" : "sum", t.loss == LossKind::Mean ? "mean" : "sum"},
      {"--batch-size", text_of(saved.train.batch_size), text_of(t.batch_size)},
      {"--updates", saved.train.lazy_updates ? "lazy" : "exact", t.lazy_updates ? "lazy" : "exact"},
      {"--lr-schedule", lr_schedule_name(saved.train.lr_schedule.kind), lr_schedule_name(t.lr_schedule.kind)},
      {"--lr-factor", text_of(saved.train.lr_schedule.factor), text_of(t.lr_schedule.factor)},
      {"--lr-step", text_of(saved.train.lr_schedule.step_epochs), text_of(t.lr_schedule.step_epochs)},
      {"--lr-patience", text_of(saved.train.lr_schedule.plateau_patience), text_of(t.lr_schedule.plateau_patience)},
      {"--lr-min", text_of(saved.train.lr_schedule.min_rate), text_of(t.lr_schedule.min_rate)},
      {"--precision", precision_name(saved.train.precision), precision_name(t.precision)},
  };
  const bool same_model = options.front()[1] == options.front()[2];
  // RProp always trains on the full batch: its batch size and update mode are no options (the rules
  // refuse them), so a checkpoint's values there, older defaults included, never stop a resume.
  const bool full_batch = saved.train.optimizer == OptimizerKind::Rprop && t.optimizer == OptimizerKind::Rprop;
  for (const auto& option : train_options) {
    if (!(full_batch && (option[0] == "--batch-size" || option[0] == "--updates"))) options.push_back(option);
  }
  // Every difference at once, and (for the same model) the flags that give the checkpoint's values: a
  // default that changed since the checkpoint was written (the batch size and learning rate did) is
  // then one copy-paste away, not one refusal per option.
  std::string differences;
  std::string flags;
  for (const auto& [name, before, now] : options) {
    if (before == now) continue;
    differences += (differences.empty() ? "" : "; ") + name + " " + before + ", this command gives " + now;
    flags += " " + name + " " + before;
  }
  if (!differences.empty()) {
    throw UsageError("--resume " + path + ": the checkpoint was trained with " + differences +
                     " (only --epochs and --patience may change on resume" +
                     (same_model ? "; to continue it, add:" + flags : std::string()) + ")");
  }
  // The cosine schedule runs over the epoch limit: another limit would change the rates still to come.
  if (t.lr_schedule.kind == LrScheduleKind::Cosine && saved.train.max_epochs != t.max_epochs) {
    throw UsageError("--resume " + path + ": the checkpoint was trained with --epochs " +
                     text_of(saved.train.max_epochs) + " and --lr-schedule cosine, which anneals over --epochs; this "
                     "command gives --epochs " + text_of(t.max_epochs) + " (keep it to continue the schedule)");
  }
}

double baseline_rmse(const RunData& run, const BiasBaseline& baseline) {
  std::vector<bool> user_known(static_cast<std::size_t>(run.train->n_users()), false);
  std::vector<bool> item_known(static_cast<std::size_t>(run.train->n_items()), false);
  for (std::size_t r = 0; r < run.train->size(); ++r) {
    user_known[static_cast<std::size_t>(run.train->users[r])] = true;
    item_known[static_cast<std::size_t>(run.train->items[r])] = true;
  }
  const std::vector<float> predictions = baseline.predict_all(*run.test, run.rules.clip_min, run.rules.clip_max);
  double sum = 0.0;
  for (std::size_t r = 0; r < run.test->size(); ++r) {
    const auto user = static_cast<std::size_t>(run.test->users[r]), item = static_cast<std::size_t>(run.test->items[r]);
    const bool known = user < user_known.size() && user_known[user] && item < item_known.size() && item_known[item];
    const double error = (known ? predictions[r] : run.rules.default_rating) - static_cast<double>(run.test->values[r]);
    sum += error * error;
  }
  return std::sqrt(sum / static_cast<double>(run.test->size()));
}

void save_final_checkpoint(const std::string& path, const std::function<Checkpoint()>& capture) {
  try {
    save_checkpoint(path, capture());
  } catch (const WriteError& error) {
    const auto copy =
        std::filesystem::temp_directory_path() / ("autorec-emergency-" + std::to_string(::getpid()) + ".ckpt");
    std::string where;
    try {
      save_checkpoint(copy, capture());
      where = "; the finished run was saved to " + copy.string() + " instead (move it where you want it)";
    } catch (const std::exception& second) {
      where = "; no emergency copy either: " + std::string(second.what());
    }
    throw WriteError(error.path(), std::string("final checkpoint not saved (") + error.what() + ")" + where, 0);
  }
}

RunOutcome train_run(const TrainSettings& settings, RunData run,
                     const std::function<void(const RunOutcome&)>& on_results, std::unique_ptr<RatingModel>* trained) {
  CheckpointKeeper keeper(settings, run, install_interrupt_handler());
  const auto start = std::chrono::steady_clock::now();
  engine::reset_peak_memory(settings.device);
  const Orientation orientation = settings.model.orientation;
  // On the host: the trainer uploads it once to the model's device. Released after training, before
  // the test pass builds the whole training part's matrix (at Netflix size each is ~1.6 GB).
  std::optional<engine::SparseMatrix> fit_rows(to_matrix(*run.fit, orientation));
  // The baseline is fitted now (it is reported after the test pass) so that the fit ratings can go: at
  // Netflix size they are 1 GB that training does not need.
  const auto baseline_start = std::chrono::steady_clock::now();
  const std::optional<BiasBaseline> baseline =
      settings.test_pass ? std::optional<BiasBaseline>(BiasBaseline::fit(*run.fit)) : std::nullopt;
  const auto baseline_time = std::chrono::steady_clock::now() - baseline_start;  // not part of the run's time
  run.fit.reset();

  ModelRecord model_record = settings.model;
  model_record.rows = fit_rows->rows();
  model_record.inputs = fit_rows->cols();
  std::unique_ptr<RatingModel> built = make_model(model_record, settings.device);
  RatingModel& model = *built;
  Trainer trainer(model, settings.train);
  std::optional<TrainingLog> log;
  if (settings.log_dir) log.emplace(*settings.log_dir, settings.log_suffix, log_title(settings));
  if (settings.resume) {
    restore_training(*load_resumable(*settings.resume, settings, run), model, trainer);
    note(settings.quiet, "resuming after epoch " + std::to_string(trainer.history().size()));
  }
  if (log) log->start(trainer.history());

  ProgressReporter progress(settings.quiet, settings.train.max_epochs,
                            run.validation->empty() ? 0 : settings.train.patience);
  TrainCallbacks callbacks;
  callbacks.on_batch = [&](int epoch, std::int64_t b, std::int64_t n) {
    progress.on_batch(epoch, b, n);
    keeper.on_batch();
  };
  callbacks.on_epoch = [&](const EpochRecord& record) {
    progress.on_epoch(record, trainer.best_epoch() == record.epoch && !std::isnan(record.validation_rmse));
    if (log) log->on_epoch(record, trainer.best_epoch());
    keeper.on_epoch(model, trainer, record.epoch);
  };
  trainer.fit(*fit_rows, make_validation(run, *fit_rows, orientation), callbacks, keeper.stop_flag());
  fit_rows.reset();
  progress.clear_bar();

  RunOutcome outcome;
  outcome.interrupted = trainer.interrupted();
  if (outcome.interrupted) outcome.saved_checkpoint = keeper.finish(model, trainer);
  outcome.best_epoch = trainer.best_epoch();
  outcome.best_validation_rmse = trainer.best_validation_rmse();
  outcome.epochs = static_cast<int>(trainer.history().size());
  describe_stop(trainer, settings.train, outcome);
  if (!outcome.interrupted && settings.test_pass) {
    // The test input is the whole training part, validation ratings included (known training data).
    const engine::SparseMatrix train_rows = to_matrix(*run.train, orientation);
    const std::vector<float> predictions = predict_pairs(model, train_rows, *run.test, run.rules);
    outcome.test = rating_metrics(predictions, *run.test, train_rows, orientation);
  }
  outcome.peak_memory_bytes = engine::memory_stats(settings.device).peak_bytes;
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start - baseline_time).count();
  if (!outcome.interrupted && baseline) outcome.baseline_rmse = baseline_rmse(run, *baseline);  // not in the run's time
  if (!outcome.interrupted) {
    if (on_results) on_results(outcome);
    outcome.saved_checkpoint = keeper.finish(model, trainer);
    if (trained) *trained = std::move(built);
  }
  return outcome;
}

}  // namespace autorec::cli
