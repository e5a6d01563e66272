// --log-dir: train.jsonl (one JSON object per epoch: epoch, train_loss, train_rmse,
// validation_rmse, seconds, learning_rate) and training_curve.svg beside it, both rewritten whole and atomically
// (AtomicFile) as epochs finish, so they can be watched during a long run and are never half-written.
// A resumed run starts the files from the saved history. A write error throws WriteError.
#pragma once

#include <string>
#include <vector>

#include "autorec/trainer.h"

namespace autorec::cli {

class TrainingLog {
 public:
  // `suffix` tells runs apart ("" for a single run, "-run2" ...). The folder is created at start().
  TrainingLog(const std::string& folder, const std::string& suffix, std::string title);

  void start(const std::vector<EpochRecord>& earlier);  // epochs restored from a checkpoint
  void on_epoch(const EpochRecord& record, int best_epoch);

  const std::string& jsonl_path() const { return jsonl_path_; }
  const std::string& svg_path() const { return svg_path_; }

 private:
  void add_line(const EpochRecord& record);
  void write_plot(int best_epoch) const;

  std::string jsonl_path_, svg_path_, title_;
  std::string jsonl_;  // the whole log so far
  std::vector<EpochRecord> history_;
};

}  // namespace autorec::cli
