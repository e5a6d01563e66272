// --log-dir: train.jsonl (one JSON object per epoch: epoch, train_loss, train_rmse,
// validation_rmse, seconds) and training_curve.svg beside it, both rewritten as epochs finish so
// they can be watched during a long run. A resumed run starts the files from the saved history.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "autorec/trainer.h"

namespace autorec::cli {

class TrainingLog {
 public:
  // `suffix` tells runs apart ("" for a single run, "-run2" ...). Creates the folder.
  TrainingLog(const std::string& folder, const std::string& suffix, std::string title);

  void start(const std::vector<EpochRecord>& earlier);  // epochs restored from a checkpoint
  void on_epoch(const EpochRecord& record, int best_epoch);

  const std::string& jsonl_path() const { return jsonl_path_; }
  const std::string& svg_path() const { return svg_path_; }

 private:
  void write_line(const EpochRecord& record);
  void write_plot(int best_epoch) const;

  std::string jsonl_path_, svg_path_, title_;
  std::ofstream jsonl_;
  std::vector<EpochRecord> history_;
};

}  // namespace autorec::cli
