#include "train_run.h"

#include <atomic>
#include <chrono>
#include <cmath>

#include <unistd.h>

#include <filesystem>

#include "autorec/data/atomic_file.h"
#include "engine/backend.h"
#include "interrupt.h"
#include "progress.h"
#include "training_log.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

bool same_model(const ModelConfig& a, const ModelConfig& b) {
  return a.orientation == b.orientation && a.hidden == b.hidden && a.hidden_activation == b.hidden_activation &&
         a.output_activation == b.output_activation && a.dropout == b.dropout && a.seed == b.seed;
}

// --resume continues the SAME run: same data and split, same model, same optimizer. The epoch
// budget and patience may change (to extend a run).
Checkpoint load_resumable(const std::string& path, const TrainSettings& settings, const RunData& run) {
  Checkpoint checkpoint = load_checkpoint(path);
  if (!(checkpoint.run == run.identity)) {
    throw UsageError("--resume " + path + ": the checkpoint is of another run\n  saved:   " +
                     checkpoint.run.describe() + "\n  this run: " + run.identity.describe());
  }
  if (!same_model(checkpoint.model, settings.model)) {
    throw UsageError("--resume " + path +
                     ": the checkpoint's model options (--model, --hidden, --activation, "
                     "--output-activation, --dropout, --seed) differ from this command's");
  }
  if (checkpoint.train.optimizer != settings.train.optimizer) {
    throw UsageError("--resume " + path + ": the checkpoint was trained with --optimizer " +
                     optimizer_name(checkpoint.train.optimizer));
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
  void on_epoch(const AutoRecModel& model, Trainer& trainer, int epoch) {
    if (!settings_.checkpoint) return;
    if (epoch % settings_.checkpoint_every == 0) save(model, trainer);
    if (interrupt_.load()) stop_at_epoch_end_.store(true);
  }
  // Saves the final state unless it is on disk already; returns the path or "". When that save
  // fails, a copy goes to the temp folder (often another file system than a full one) and the
  // error says where.
  std::string finish(const AutoRecModel& model, Trainer& trainer) {
    if (!settings_.checkpoint || trainer.history().empty()) return "";
    if (saved_epochs_ == trainer.history().size()) return *settings_.checkpoint;
    try {
      save(model, trainer);
    } catch (const WriteError& error) {
      const auto copy = std::filesystem::temp_directory_path() /
                        ("autorec-emergency-" + std::to_string(::getpid()) + ".ckpt");
      std::string where;
      try {
        save_checkpoint(copy, capture(model, trainer));
        where = "; the finished run was saved to " + copy.string() + " instead (move it where you want it)";
      } catch (const std::exception& second) {
        where = "; no emergency copy either: " + std::string(second.what());
      }
      throw WriteError(error.path(), std::string("final checkpoint not saved (") + error.what() + ")" + where, 0);
    }
    return *settings_.checkpoint;
  }

 private:
  Checkpoint capture(const AutoRecModel& model, Trainer& trainer) const {
    return capture_checkpoint(model, trainer, settings_.train, run_.identity, run_.rules, run_.train, run_.test);
  }
  void save(const AutoRecModel& model, Trainer& trainer) {
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
  return [&run, &fit_rows, orientation](AutoRecModel& model) {
    const std::vector<float> predictions = predict_pairs(model, fit_rows, *run.validation, run.rules);
    return rating_metrics(predictions, *run.validation, fit_rows, orientation).rmse;
  };
}

std::string log_title(const TrainSettings& s) {
  std::string hidden;
  for (const std::int64_t h : s.model.hidden) hidden += (hidden.empty() ? "" : "-") + std::to_string(h);
  return (s.model.orientation == Orientation::ItemBased ? "I-AutoRec " : "U-AutoRec ") + hidden + ", " +
         optimizer_name(s.train.optimizer);
}

}  // namespace

RunOutcome train_run(const TrainSettings& settings, const RunData& run,
                     const std::function<void(const RunOutcome&)>& on_results) {
  CheckpointKeeper keeper(settings, run, install_interrupt_handler());
  const auto start = std::chrono::steady_clock::now();
  engine::Backend& backend = engine::backend_for(settings.device);
  backend.reset_peak_memory();
  const Orientation orientation = settings.model.orientation;
  // On the host: the trainer slices batches there and moves each one to the model's device.
  const engine::SparseMatrix fit_rows = to_matrix(*run.fit, orientation);

  AutoRecModel model(settings.model, fit_rows.cols(), settings.device);
  Trainer trainer(model, settings.train);
  std::optional<TrainingLog> log;
  if (settings.log_dir) log.emplace(*settings.log_dir, settings.log_suffix, log_title(settings));
  if (settings.resume) {
    restore_training(load_resumable(*settings.resume, settings, run), model, trainer);
    note(settings.quiet, "resuming after epoch " + std::to_string(trainer.history().size()));
  }
  if (log) log->start(trainer.history());

  ProgressReporter progress(settings.quiet, settings.train.max_epochs);
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
  trainer.fit(fit_rows, make_validation(run, fit_rows, orientation), callbacks, keeper.stop_flag());
  progress.clear_bar();

  RunOutcome outcome;
  outcome.interrupted = trainer.interrupted();
  if (outcome.interrupted) outcome.saved_checkpoint = keeper.finish(model, trainer);
  outcome.best_epoch = trainer.best_epoch();
  outcome.best_validation_rmse = trainer.best_validation_rmse();
  outcome.epochs = static_cast<int>(trainer.history().size());
  if (!outcome.interrupted) {
    // The test input is the whole training part, validation ratings included (known training data).
    const engine::SparseMatrix train_rows = to_matrix(*run.train, orientation);
    const std::vector<float> predictions = predict_pairs(model, train_rows, *run.test, run.rules);
    outcome.test = rating_metrics(predictions, *run.test, train_rows, orientation);
  }
  outcome.peak_memory_bytes = backend.memory_stats().peak_bytes;
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!outcome.interrupted) {
    if (on_results) on_results(outcome);
    outcome.saved_checkpoint = keeper.finish(model, trainer);
  }
  return outcome;
}

}  // namespace autorec::cli
