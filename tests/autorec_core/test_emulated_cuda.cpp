// I-AutoRec end to end on Device::cuda() — the CUDA backend running under the SIMT emulation —
// against the same run on the CPU: the batches formed on the device, the fused backward + optimizer,
// the evaluation and the ranking all take the device path that a real GPU run takes. A second run at
// the training shapes (k = 500, item rows and batch columns of more than 512 nonzeros) reaches the
// kernels' long-row phases and their float4, 32-lane paths, with fp32 and with bf16 tables.
#include <catch2/catch.hpp>

#include <cmath>

#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/evaluate.h"
#include "autorec/trainer.h"
#include "autorec/matrix_factorization.h"
#include "autorec/model.h"

using namespace autorec;

namespace {

struct RunResult {
  std::vector<EpochRecord> history;
  std::vector<float> predictions;
  RankingMetrics ranking;
  std::int64_t bf16_rebuilds = 0;  // bf16 copies built from the fp32 weights during fit()
};

struct Shape {
  std::int64_t hidden = 12;
  std::int64_t batch_size = 16;
  int epochs = 3;
  float dropout = 0.1f;
  float learning_rate = 0.01f;
  LrSchedule schedule;
  Precision precision = Precision::Fp32;
};

RunResult train_on(engine::Device device, const Split& split, const Shape& shape = {}) {
  ModelConfig model_config;
  model_config.hidden = {shape.hidden};
  model_config.dropout = shape.dropout;
  TrainConfig train_config;
  train_config.max_epochs = shape.epochs;
  train_config.batch_size = shape.batch_size;
  train_config.lambda = 10.0f;
  train_config.learning_rate = shape.learning_rate;
  train_config.lr_schedule = shape.schedule;
  train_config.precision = shape.precision;
  const engine::SparseMatrix rows = to_matrix(split.train, model_config.orientation);
  AutoRecModel model(model_config, rows.cols(), device);
  Trainer trainer(model, train_config);
  const PredictionRules rules = rules_from_training(split.train);
  // Validating on the held-out part is fine here: this compares devices, not models.
  trainer.fit(rows,
              [&](RatingModel& m) {
                return rating_metrics(predict_pairs(m, rows, split.test, rules, 16), split.test, rows,
                                      model_config.orientation)
                    .rmse;
              },
              {});
  const std::int64_t rebuilds = model.parameters().bf16_rebuilds();
  return {trainer.history(), predict_pairs(model, rows, split.test, rules, 16),
          ranking_metrics(model, rows, split.test, 5, 16), rebuilds};
}

// Synthetic ratings of the given shape with 10 % held out.
Split synthetic_split(std::int64_t users, std::int64_t items, std::int64_t ratings, std::uint64_t seed) {
  SynthOptions data;
  data.n_users = users;
  data.n_items = items;
  data.n_ratings = ratings;
  data.seed = seed;
  return random_holdout(generate_ratings(data), 0.1, 2);
}

// The per-epoch losses and validation RMSEs of the two devices agree.
void check_same_history(const RunResult& cpu, const RunResult& cuda) {
  REQUIRE(cuda.history.size() == cpu.history.size());
  for (std::size_t e = 0; e < cpu.history.size(); ++e) {
    INFO("epoch " << e + 1);
    CHECK(cuda.history[e].train_loss == Approx(cpu.history[e].train_loss).epsilon(1e-4));
    CHECK(cuda.history[e].validation_rmse == Approx(cpu.history[e].validation_rmse).epsilon(1e-4));
  }
}

}  // namespace

TEST_CASE("I-AutoRec trains, predicts and ranks the same on the emulated CUDA device and the CPU",
          "[emulated_cuda][training]") {
  const Split split = synthetic_split(60, 40, 700, 3);
  const RunResult cpu = train_on(engine::Device::cpu(), split);
  const RunResult cuda = train_on(engine::Device::cuda(), split);
  check_same_history(cpu, cuda);
  REQUIRE(cuda.predictions.size() == cpu.predictions.size());
  for (std::size_t q = 0; q < cpu.predictions.size(); ++q) {
    CHECK(cuda.predictions[q] == Approx(cpu.predictions[q]).margin(1e-3));
  }
  CHECK(cuda.ranking.users == cpu.ranking.users);
  CHECK(cuda.ranking.ndcg == Approx(cpu.ranking.ndcg).margin(1e-6));
}

TEST_CASE("a learning-rate schedule drives the emulated CUDA device as it drives the CPU",
          "[emulated_cuda][training][lr-schedule]") {
  const Split split = synthetic_split(60, 40, 700, 3);
  Shape shape;
  shape.learning_rate = 0.05f;
  shape.schedule.kind = LrScheduleKind::Step;
  shape.schedule.step_epochs = 1;
  shape.schedule.factor = 0.2f;
  const RunResult cpu = train_on(engine::Device::cpu(), split, shape);
  const RunResult cuda = train_on(engine::Device::cuda(), split, shape);
  check_same_history(cpu, cuda);
  const RunResult constant = train_on(engine::Device::cuda(), split, Shape{.learning_rate = 0.05f, .schedule = {}, .precision = Precision::Fp32});
  CHECK(cuda.history[0].train_loss == Approx(constant.history[0].train_loss).epsilon(1e-6));  // the same first epoch
  CHECK(cuda.history[2].train_loss != Approx(constant.history[2].train_loss).epsilon(1e-4));   // then a smaller rate
}

TEST_CASE("I-AutoRec at k = 500 with rows and batch columns above 512 nonzeros: emulated CUDA matches the CPU",
          "[emulated_cuda][training]") {
  const Split split = synthetic_split(700, 560, 150000, 4);
  const engine::SparseMatrix rows = to_matrix(split.train, Orientation::ItemBased);
  std::int64_t longest_row = 0;
  const std::vector<engine::offset_t> offsets = rows.csr_offsets_host();
  for (std::size_t i = 0; i + 1 < offsets.size(); ++i) longest_row = std::max(longest_row, offsets[i + 1] - offsets[i]);
  REQUIRE(longest_row > 512);  // the products' block-wide long-row phase
  Shape shape{500, 530, 2, 0.0f, 0.001f, {}, Precision::Fp32};  // a 530-item batch: user columns of more than 512 entries
  const RunResult cpu = train_on(engine::Device::cpu(), split, shape);
  const RunResult cuda = train_on(engine::Device::cuda(), split, shape);
  check_same_history(cpu, cuda);
  CHECK(cpu.history.back().train_loss < cpu.history.front().train_loss);

  {  // with bf16 tables (--precision bf16); not a SECTION: the fp32 runs above would be repeated
    shape.precision = Precision::Bf16;
    const RunResult cpu_bf16 = train_on(engine::Device::cpu(), split, shape);
    const RunResult cuda_bf16 = train_on(engine::Device::cuda(), split, shape);
    check_same_history(cpu_bf16, cuda_bf16);
    // The copies are built once (V and W), then kept current by the update epilogue: none per batch.
    CHECK(cpu_bf16.bf16_rebuilds == 2);
    CHECK(cuda_bf16.bf16_rebuilds == 2);
    // bf16 tables change the numbers a little (another run), not the trajectory's course.
    CHECK(cpu_bf16.history.back().train_loss != cpu.history.back().train_loss);
    CHECK(cpu_bf16.history.back().train_loss == Approx(cpu.history.back().train_loss).epsilon(1e-2));
    CHECK(cpu_bf16.history.back().train_loss < cpu_bf16.history.front().train_loss);
  }
}

TEST_CASE("matrix factorisation trains, predicts and ranks the same on the emulated CUDA device and the CPU",
          "[emulated_cuda][training][mf]") {
  const Split split = synthetic_split(60, 40, 700, 3);
  const PredictionRules rules = rules_from_training(split.train);
  auto run_on = [&](engine::Device device, bool lazy) {
    MatrixFactorizationConfig config;
    config.orientation = Orientation::UserBased;
    config.factors = 6;
    const engine::SparseMatrix rows = to_matrix(split.train, config.orientation);
    const auto model = make_model(matrix_factorization_record(config, rows.rows(), rows.cols()), device);
    TrainConfig train;
    train.max_epochs = 3;
    train.batch_size = 16;
    train.lambda = 2.0f;
    train.learning_rate = 0.02f;
    train.lazy_updates = lazy;
    Trainer trainer(*model, train);
    trainer.fit(rows,
                [&](RatingModel& m) {
                  return rating_metrics(predict_pairs(m, rows, split.test, rules, 16), split.test, rows,
                                        config.orientation)
                      .rmse;
                },
                {});
    return RunResult{trainer.history(), predict_pairs(*model, rows, split.test, rules, 16),
                     ranking_metrics(*model, rows, split.test, 5, 16)};
  };
  for (const bool lazy : {false, true}) {
    INFO((lazy ? "lazy" : "exact") << " updates");
    const RunResult cpu = run_on(engine::Device::cpu(), lazy);
    const RunResult cuda = run_on(engine::Device::cuda(), lazy);
    check_same_history(cpu, cuda);
    REQUIRE(cuda.predictions.size() == cpu.predictions.size());
    for (std::size_t q = 0; q < cpu.predictions.size(); ++q) {
      CHECK(cuda.predictions[q] == Approx(cpu.predictions[q]).margin(1e-3));
    }
    CHECK(cuda.ranking.ndcg == Approx(cpu.ranking.ndcg).margin(1e-6));
  }
}
