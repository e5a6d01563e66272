// One training run: model and trainer from the settings, optional resume, progress/log/checkpoint
// hooks, Trainer::fit with Ctrl-C as its stop flag, then the test metrics.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "autorec/evaluate.h"
#include "run_setup.h"

namespace autorec::cli {

struct TrainSettings {
  ModelConfig model;
  TrainConfig train;
  engine::Device device;
  bool quiet = false;
  std::optional<std::string> log_dir;
  std::string log_suffix;                 // "" or "-runN"
  std::optional<std::string> checkpoint;  // save here every `checkpoint_every` epochs and at the end
  int checkpoint_every = 1;
  std::optional<std::string> resume;
};

struct RunOutcome {
  RatingMetrics test;
  int best_epoch = 0;
  double best_validation_rmse = 0.0;  // NaN without validation
  int epochs = 0;                     // epochs in the history (including resumed ones)
  double seconds = 0.0;               // wall time of this run in this process
  bool interrupted = false;
  std::size_t peak_memory_bytes = 0;  // the engine's high-water mark on the run's device
  std::string saved_checkpoint;       // where the checkpoint went, if one was saved
};

// `on_results` (optional) gets the finished run's outcome before the final checkpoint save, so that
// the results are shown even when that save fails. A failed final save throws WriteError, after
// trying an emergency copy in the temp folder; the message says where that copy went.
RunOutcome train_run(const TrainSettings& settings, const RunData& run,
                     const std::function<void(const RunOutcome&)>& on_results = nullptr);

}  // namespace autorec::cli
