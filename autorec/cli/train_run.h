// One training run: model and trainer from the settings, optional resume, progress/log/checkpoint
// hooks, Trainer::fit with Ctrl-C as its stop flag, then the test metrics.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autorec/bias_baseline.h"
#include "autorec/evaluate.h"
#include "run_setup.h"

namespace autorec::cli {

struct TrainSettings {
  ModelRecord model;  // shape 0 x 0: set from the data
  TrainConfig train;
  engine::Device device;
  bool quiet = false;
  std::optional<std::string> log_dir;
  std::string log_suffix;                 // "" or "-runN"
  std::optional<std::string> checkpoint;  // save here every `checkpoint_every` epochs and at the end
  int checkpoint_every = 1;
  std::optional<std::string> resume;
  // false for an ensemble's member: the ensemble scores the blend on test and the baseline once, so the
  // member skips its own test pass and baseline (outcome.test and baseline_rmse stay unset).
  bool test_pass = true;
};

// One member of an ensemble run (--model item+user): its own early stopping and the blend's weight.
struct MemberOutcome {
  std::string name;  // item, user, mf, mf-user, baseline
  double best_validation_rmse = 0.0;
  int best_epoch = 0;  // 0 for the baseline
  int epochs = 0;
  double weight = 0.0;
};

struct RunOutcome {
  RatingMetrics test;
  // The bias baseline (autorec/bias_baseline.h) fitted on the ratings the model was fitted on and scored
  // on the same test ratings with the same cold-start default: whether the model earned its keep. NaN
  // when the run was interrupted.
  double baseline_rmse = std::numeric_limits<double>::quiet_NaN();
  int best_epoch = 0;
  double best_validation_rmse = 0.0;  // NaN without validation
  int epochs = 0;                     // epochs in the history (including resumed ones)
  double seconds = 0.0;               // wall time of this run in this process
  bool interrupted = false;
  std::size_t peak_memory_bytes = 0;  // the engine's high-water mark on the run's device
  std::string saved_checkpoint;       // where the checkpoint went, if one was saved
  // Why training ended: "early_stopping", "epoch_limit", "diverged" or "interrupted" (the JSON value),
  // and the same in words for the summary ("early stopping at epoch 24: ...").
  std::string stop_reason;
  std::string stop_description;
  // An ensemble's members (the baseline last when it is one) and the blend's intercept; empty otherwise.
  std::vector<MemberOutcome> members;
  double blend_intercept = 0.0;
};

// `on_results` (optional) gets the finished run's outcome before the final checkpoint save, so that
// the results are shown even when that save fails. A failed final save throws WriteError, after
// trying an emergency copy in the temp folder; the message says where that copy went. `run` is taken
// by value so that its fit part (the training ratings less validation) is freed once its matrix and
// the bias baseline are built: pass it with std::move to let that happen (an ensemble passes copies:
// the shared ratings then stay for its next member).
// `trained` (optional) receives the model (with its best weights) when the run was not interrupted.
RunOutcome train_run(const TrainSettings& settings, RunData run,
                     const std::function<void(const RunOutcome&)>& on_results = nullptr,
                     std::unique_ptr<RatingModel>* trained = nullptr);

// Saves capture() to `path`. When that fails, a copy goes to the temp folder (often another file system
// than a full one) and the WriteError thrown says where: a finished run is not lost to a full disk.
void save_final_checkpoint(const std::string& path, const std::function<Checkpoint()>& capture);

// The bias baseline's test RMSE on the model's footing: `baseline` fitted on the ratings the model was
// fitted on (the training part less validation); a test pair whose user or item has no training
// rating gets the model's default, as predict_pairs gives it.
double baseline_rmse(const RunData& run, const BiasBaseline& baseline);

// Throws UsageError naming the first option that changes the numbers (everything except --epochs and
// --patience) whose value differs from the one `saved` was trained with, with both values.
void check_resume_settings(const std::string& path, const Checkpoint& saved, const TrainSettings& settings);

}  // namespace autorec::cli
