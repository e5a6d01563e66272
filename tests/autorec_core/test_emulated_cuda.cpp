// I-AutoRec end to end on Device::cuda() — the CUDA backend running under the SIMT emulation —
// against the same run on the CPU: the trainer's host-sliced batches moved to the device, the
// evaluation and the ranking all take the device path that a real GPU run takes.
#include <catch2/catch.hpp>

#include <cmath>

#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/evaluate.h"
#include "autorec/trainer.h"

using namespace autorec;

namespace {

struct RunResult {
  std::vector<EpochRecord> history;
  std::vector<float> predictions;
  RankingMetrics ranking;
};

RunResult train_on(engine::Device device, const Split& split) {
  ModelConfig model_config;
  model_config.hidden = {12};
  model_config.dropout = 0.1f;
  TrainConfig train_config;
  train_config.max_epochs = 3;
  train_config.batch_size = 16;
  train_config.lambda = 10.0f;
  train_config.learning_rate = 0.01f;
  const engine::SparseMatrix rows = to_matrix(split.train, model_config.orientation);
  AutoRecModel model(model_config, rows.cols(), device);
  Trainer trainer(model, train_config);
  const PredictionRules rules = rules_from_training(split.train);
  // Validating on the held-out part is fine here: this compares devices, not models.
  trainer.fit(rows,
              [&](AutoRecModel& m) {
                return rating_metrics(predict_pairs(m, rows, split.test, rules, 16), split.test, rows,
                                      model_config.orientation)
                    .rmse;
              },
              {});
  return {trainer.history(), predict_pairs(model, rows, split.test, rules, 16),
          ranking_metrics(model, rows, split.test, 5, 16)};
}

}  // namespace

TEST_CASE("I-AutoRec trains, predicts and ranks the same on the emulated CUDA device and the CPU",
          "[emulated_cuda][training]") {
  SynthOptions data;
  data.n_users = 60;
  data.n_items = 40;
  data.n_ratings = 700;
  data.seed = 3;
  const Split split = random_holdout(generate_ratings(data), 0.1, 2);
  const RunResult cpu = train_on(engine::Device::cpu(), split);
  const RunResult cuda = train_on(engine::Device::cuda(), split);
  REQUIRE(cuda.history.size() == cpu.history.size());
  for (std::size_t e = 0; e < cpu.history.size(); ++e) {
    INFO("epoch " << e + 1);
    CHECK(cuda.history[e].train_loss == Approx(cpu.history[e].train_loss).epsilon(1e-4));
    CHECK(cuda.history[e].validation_rmse == Approx(cpu.history[e].validation_rmse).epsilon(1e-4));
  }
  REQUIRE(cuda.predictions.size() == cpu.predictions.size());
  for (std::size_t q = 0; q < cpu.predictions.size(); ++q) {
    CHECK(cuda.predictions[q] == Approx(cpu.predictions[q]).margin(1e-3));
  }
  CHECK(cuda.ranking.users == cpu.ranking.users);
  CHECK(cuda.ranking.ndcg == Approx(cpu.ranking.ndcg).margin(1e-6));
}
