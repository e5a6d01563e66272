#include "training_log.h"

#include <filesystem>

#include "autorec/json_writer.h"
#include "svg_plot.h"
#include "usage_error.h"

namespace autorec::cli {

TrainingLog::TrainingLog(const std::string& folder, const std::string& suffix, std::string title)
    : jsonl_path_((std::filesystem::path(folder) / ("train" + suffix + ".jsonl")).string()),
      svg_path_((std::filesystem::path(folder) / ("training_curve" + suffix + ".svg")).string()),
      title_(std::move(title)) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  jsonl_.open(jsonl_path_, std::ios::trunc);
  if (!jsonl_) throw UsageError("--log-dir: cannot write " + jsonl_path_);
}

void TrainingLog::start(const std::vector<EpochRecord>& earlier) {
  for (const EpochRecord& record : earlier) write_line(record);
  history_ = earlier;
}

void TrainingLog::write_line(const EpochRecord& record) {
  JsonWriter json;
  json.begin_object()
      .field("epoch", record.epoch)
      .field("train_loss", record.train_loss)
      .field("train_rmse", record.train_rmse)
      .field("validation_rmse", record.validation_rmse)
      .field("seconds", record.seconds)
      .end_object();
  jsonl_ << json.str() << '\n' << std::flush;  // flushed per line: readable while training runs
}

void TrainingLog::write_plot(int best_epoch) const {
  std::ofstream svg(svg_path_, std::ios::trunc);
  svg << training_curve_svg(history_, best_epoch, title_);
}

void TrainingLog::on_epoch(const EpochRecord& record, int best_epoch) {
  write_line(record);
  history_.push_back(record);
  write_plot(best_epoch);
}

}  // namespace autorec::cli
