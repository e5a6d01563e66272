// Training progress on stderr. On a terminal: a bar redrawn during each epoch (batches done, epoch
// ETA, whole-run ETA) and one summary line per finished epoch. Otherwise (a log file, a pipe): only
// the summary lines. --quiet: nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "autorec/trainer.h"

namespace autorec::cli {

class ProgressReporter {
 public:
  // patience: epochs without a better validation RMSE before early stopping (0: no validation set).
  ProgressReporter(bool quiet, int max_epochs, int patience);

  void on_batch(int epoch, std::int64_t batch, std::int64_t batches);
  void on_epoch(const EpochRecord& record, bool is_best);
  void clear_bar();  // before printing anything else on stderr

 private:
  using Clock = std::chrono::steady_clock;
  bool quiet_;
  bool terminal_;
  int max_epochs_;
  int patience_;
  int best_epoch_ = 0;   // the last epoch marked '*'
  bool legend_shown_ = false;
  Clock::time_point epoch_start_;
  Clock::time_point last_draw_;
  double seconds_per_epoch_ = 0.0;  // mean over the epochs seen, for the run's ETA
  int epochs_seen_ = 0;
  bool bar_visible_ = false;
  std::string last_epoch_;  // the previous epoch's loss and validation RMSE, shown on the bar

  // The epoch training ends with if no better validation RMSE comes (early stopping), never past the
  // epoch limit; without validation, the epoch limit.
  int last_epoch_if_no_improvement(int epoch) const;
};

std::string format_duration(double seconds);  // "42s", "3m05s", "1h02m"

}  // namespace autorec::cli
