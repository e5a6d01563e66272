#include "training_log.h"

#include <filesystem>

#include "autorec/data/atomic_file.h"
#include "autorec/json_writer.h"
#include "svg_plot.h"

namespace autorec::cli {

TrainingLog::TrainingLog(const std::string& folder, const std::string& suffix, std::string title)
    : jsonl_path_((std::filesystem::path(folder) / ("train" + suffix + ".jsonl")).string()),
      svg_path_((std::filesystem::path(folder) / ("training_curve" + suffix + ".svg")).string()),
      title_(std::move(title)) {}

void TrainingLog::start(const std::vector<EpochRecord>& earlier) {
  for (const EpochRecord& record : earlier) add_line(record);
  history_ = earlier;
  write_file_atomically(jsonl_path_, jsonl_);
}

void TrainingLog::add_line(const EpochRecord& record) {
  JsonWriter json;
  json.begin_object()
      .field("epoch", record.epoch)
      .field("train_loss", record.train_loss)
      .field("train_rmse", record.train_rmse)
      .field("validation_rmse", record.validation_rmse)
      .field("seconds", record.seconds)
      .field("learning_rate", record.learning_rate)
      .end_object();
  jsonl_ += json.str() + '\n';
}

void TrainingLog::write_plot(int best_epoch) const {
  write_file_atomically(svg_path_, training_curve_svg(history_, best_epoch, title_));
}

void TrainingLog::on_epoch(const EpochRecord& record, int best_epoch) {
  add_line(record);
  write_file_atomically(jsonl_path_, jsonl_);
  history_.push_back(record);
  write_plot(best_epoch);
}

}  // namespace autorec::cli
