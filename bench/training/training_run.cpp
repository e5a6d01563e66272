#include "training_run.h"

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "autorec/data/split.h"
#include "autorec/evaluate.h"
#include "autorec/trainer.h"
#include "autorec/model.h"
#include "engine/device.h"
#include "engine/cuda.h"
#include "timing.h"

namespace bench {
namespace {

// Dense 0-based indices, "user,item,rating": the PyTorch reference reads exactly these rows.
void write_ratings_csv(const autorec::Ratings& ratings, const std::filesystem::path& path) {
  std::ofstream out(path);
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    out << ratings.users[i] << ',' << ratings.items[i] << ',' << ratings.values[i] << '\n';
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

double process_peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return 1024.0 * static_cast<double>(usage.ru_maxrss);  // Linux reports KiB
}

autorec::TrainConfig train_config(const TrainingSpec& spec) {
  autorec::TrainConfig config;
  config.optimizer = autorec::OptimizerKind::Adam;
  config.learning_rate = spec.learning_rate;
  config.lambda = spec.lambda;
  config.batch_size = spec.batch_size;
  config.lazy_updates = spec.lazy_updates;
  config.precision = spec.precision;
  config.max_epochs = spec.warmup_epochs + spec.timed_epochs;
  config.patience = config.max_epochs + 1;  // no validation: never stop early
  config.seed = spec.seed;
  return config;
}

void record_memory(const engine::Device device, TrainingResult& result) {
  result.engine_peak_bytes = static_cast<double>(engine::memory_stats(device).peak_bytes);
  if (!device.is_cpu()) {
    result.device_reserved_peak_bytes = static_cast<double>(engine::cuda_memory_stats(device.ordinal).peak_reserved_bytes);
  }
  result.process_peak_rss_bytes = process_peak_rss_bytes();
}

}  // namespace

autorec::SynthOptions synth_options_for(const std::string& dataset) {
  autorec::SynthOptions options;  // ML-1M by default
  if (dataset == "ml-10m") {
    options.n_users = 69878;
    options.n_items = 10677;
    options.n_ratings = 10000054;
  } else if (dataset == "netflix") {
    options.n_users = 480189;
    options.n_items = 17770;
    options.n_ratings = 100480507;
  } else if (dataset != "ml-1m") {
    throw std::invalid_argument("unknown data set '" + dataset + "' (ml-1m, ml-10m, netflix)");
  }
  return options;
}

TrainingData prepare_data(const TrainingSpec& spec) {
  const auto start = std::chrono::steady_clock::now();
  TrainingData data;
  data.split = autorec::random_holdout(autorec::generate_ratings(synth_options_for(spec.dataset)), 0.1, spec.seed);
  if (!spec.split_dir.empty()) {
    std::filesystem::create_directories(spec.split_dir);
    write_ratings_csv(data.split.train, std::filesystem::path(spec.split_dir) / "train.csv");
    write_ratings_csv(data.split.test, std::filesystem::path(spec.split_dir) / "test.csv");
  }
  data.train = autorec::to_matrix(data.split.train, autorec::Orientation::ItemBased);
  data.setup_seconds = seconds_since(start);
  return data;
}

TrainingResult run_training(const TrainingSpec& spec, const TrainingData& data) {
  TrainingResult result;
  result.spec = spec;
  const engine::Device device = engine::parse_device(spec.device);
  if (!device.is_cpu()) engine::set_cuda_kernels(spec.kernels);
  const autorec::Split& split = data.split;
  const engine::SparseMatrix& train = data.train;
  result.n_users = split.train.n_users();
  result.n_items = split.train.n_items();
  result.train_ratings = static_cast<std::int64_t>(split.train.size());
  result.test_ratings = static_cast<std::int64_t>(split.test.size());
  result.setup_seconds = data.setup_seconds;

  result.backend = engine::device_description(device);
  engine::reset_peak_memory(device);
  autorec::ModelConfig model_config;
  model_config.hidden = {spec.hidden};
  model_config.seed = spec.seed;
  autorec::AutoRecModel model(model_config, train.cols(), device);
  autorec::Trainer trainer(model, train_config(spec));
  trainer.fit(train, nullptr, {});
  for (const autorec::EpochRecord& epoch : trainer.history()) result.epoch_seconds.push_back(epoch.seconds);
  result.median_epoch_seconds = median(std::vector<double>(result.epoch_seconds.begin() + spec.warmup_epochs,
                                                           result.epoch_seconds.end()));
  result.ratings_per_second = static_cast<double>(result.train_ratings) / result.median_epoch_seconds;
  record_memory(device, result);

  const std::vector<float> predictions =
      autorec::predict_pairs(model, train, split.test, autorec::rules_from_training(split.train));
  const autorec::RatingMetrics metrics =
      autorec::rating_metrics(predictions, split.test, train, autorec::Orientation::ItemBased);
  result.test_rmse = metrics.rmse;
  result.test_mae = metrics.mae;
  return result;
}

}  // namespace bench
