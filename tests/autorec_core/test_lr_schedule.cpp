// Learning-rate schedules: the rate of every epoch from the formulas (autorec/lr_schedule.h), the
// trainer setting it on the optimizer, and the settings it refuses.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autorec/checkpoint.h"
#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/error.h"
#include "autorec/evaluate.h"
#include "autorec/lr_schedule.h"
#include "autorec/model.h"
#include "autorec/trainer.h"

using namespace autorec;

namespace {

std::vector<EpochRecord> validation_history(const std::vector<double>& rmses) {
  std::vector<EpochRecord> history;
  for (std::size_t e = 0; e < rmses.size(); ++e) {
    EpochRecord record;
    record.epoch = static_cast<int>(e + 1);
    record.validation_rmse = rmses[e];
    history.push_back(record);
  }
  return history;
}

float rate(const LrSchedule& s, int epoch, const std::vector<EpochRecord>& earlier = {}) {
  return scheduled_learning_rate(s, 0.01f, 10, epoch, earlier);
}

}  // namespace

TEST_CASE("schedule names parse and print", "[lr-schedule]") {
  for (const char* name : {"constant", "step", "cosine", "plateau"}) CHECK(lr_schedule_name(parse_lr_schedule(name)) == name);
  CHECK_THROWS_AS(parse_lr_schedule("linear"), ConfigError);
}

TEST_CASE("constant and step schedules give the rate of each epoch", "[lr-schedule]") {
  LrSchedule s;
  for (int e = 1; e <= 12; ++e) CHECK(rate(s, e) == 0.01f);
  s.kind = LrScheduleKind::Step;
  s.step_epochs = 3;
  s.factor = 0.5f;
  const std::vector<double> expected = {0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.0025, 0.0025};
  for (std::size_t e = 0; e < expected.size(); ++e) {
    INFO("epoch " << e + 1);
    CHECK(rate(s, static_cast<int>(e + 1)) == Approx(expected[e]).epsilon(1e-6));
  }
  s.min_rate = 0.003f;  // the floor
  CHECK(rate(s, 7) == Approx(0.003).epsilon(1e-6));
  CHECK(rate(s, 4) == Approx(0.005).epsilon(1e-6));
}

TEST_CASE("the cosine schedule anneals over the epoch limit to the minimum", "[lr-schedule]") {
  LrSchedule s;
  s.kind = LrScheduleKind::Cosine;
  CHECK(rate(s, 1) == Approx(0.01).epsilon(1e-6));
  CHECK(rate(s, 3) == Approx(0.01 * 0.5 * (1 + std::cos(M_PI * 0.2))).epsilon(1e-6));
  CHECK(rate(s, 6) == Approx(0.005).epsilon(1e-6));
  CHECK(rate(s, 11) == Approx(0.0).margin(1e-9));
  CHECK(rate(s, 50) == Approx(0.0).margin(1e-9));  // past the limit: stays at the end point
  s.min_rate = 0.001f;
  CHECK(rate(s, 6) == Approx(0.001 + 0.009 * 0.5).epsilon(1e-6));
  CHECK(rate(s, 11) == Approx(0.001).epsilon(1e-6));
}

TEST_CASE("the plateau schedule decays after patience epochs without a better validation RMSE", "[lr-schedule]") {
  LrSchedule s;
  s.kind = LrScheduleKind::Plateau;
  s.plateau_patience = 2;
  s.factor = 0.1f;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // best, best, worse, worse (decay), best, worse, NaN (decay: never better), worse
  const auto history = validation_history({1.0, 0.9, 0.95, 0.95, 0.8, 0.85, nan, 0.9});
  const std::vector<double> expected = {0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.0001, 0.0001};
  for (std::size_t e = 0; e < expected.size(); ++e) {
    INFO("epoch " << e + 1);
    CHECK(rate(s, static_cast<int>(e + 1), history) == Approx(expected[e]).epsilon(1e-5));
  }
  // Only the epochs before the one asked about count.
  CHECK(rate(s, 4, history) == Approx(0.01).epsilon(1e-6));
}

TEST_CASE("bad schedule settings are refused", "[lr-schedule]") {
  LrSchedule s;
  s.factor = 1.0f;
  CHECK_THROWS_WITH(check_lr_schedule(s), Catch::Contains("factor"));
  s = {};
  s.step_epochs = 0;
  CHECK_THROWS_WITH(check_lr_schedule(s), Catch::Contains("step interval"));
  s = {};
  s.plateau_patience = 0;
  CHECK_THROWS_WITH(check_lr_schedule(s), Catch::Contains("patience"));
  s = {};
  s.min_rate = -1.0f;
  CHECK_THROWS_WITH(check_lr_schedule(s), Catch::Contains("minimum"));
}

TEST_CASE("the trainer trains each epoch at the scheduled rate", "[lr-schedule][training]") {
  SynthOptions synth;
  synth.n_users = 60;
  synth.n_items = 40;
  synth.n_ratings = 900;
  synth.seed = 3;
  const Split split = random_holdout(generate_ratings(synth), 0.1, 1);
  const engine::SparseMatrix rows = to_matrix(split.train, Orientation::ItemBased);
  ModelConfig model_config;
  model_config.hidden = {8};
  auto run = [&](const LrSchedule& schedule) {
    TrainConfig t;
    t.learning_rate = 0.01f;
    t.batch_size = 16;
    t.max_epochs = 4;
    t.lr_schedule = schedule;
    AutoRecModel model(model_config, rows.cols(), engine::Device::cpu());
    Trainer trainer(model, t);
    trainer.fit(rows, nullptr, {});
    return std::make_pair(trainer.history(), parameters_record(model.parameters()));
  };
  LrSchedule step;
  step.kind = LrScheduleKind::Step;
  step.step_epochs = 2;
  step.factor = 0.25f;
  const auto [constant_history, constant_weights] = run(LrSchedule{});
  const auto [step_history, step_weights] = run(step);
  REQUIRE(step_history.size() == 4);
  CHECK(step_history[0].learning_rate == Approx(0.01));
  CHECK(step_history[2].learning_rate == Approx(0.0025));
  CHECK(constant_history[2].learning_rate == Approx(0.01));
  // The first two epochs run at the same rate, the last two do not: the optimizer got the new rate.
  CHECK(step_history[1].train_loss == constant_history[1].train_loss);
  CHECK(step_history[3].train_loss != constant_history[3].train_loss);
  CHECK(step_weights != constant_weights);
}

TEST_CASE("a schedule needs an optimizer with a learning rate", "[lr-schedule]") {
  ModelConfig model_config;
  model_config.hidden = {4};
  AutoRecModel model(model_config, 10, engine::Device::cpu());
  TrainConfig t;
  t.optimizer = OptimizerKind::Rprop;
  t.lr_schedule.kind = LrScheduleKind::Cosine;
  CHECK_THROWS_WITH(Trainer(model, t), Catch::Contains("cosine") && Catch::Contains("rprop"));
  t.lr_schedule.kind = LrScheduleKind::Constant;
  CHECK_NOTHROW(Trainer(model, t));
  for (const OptimizerKind kind : {OptimizerKind::Adam, OptimizerKind::AdamW, OptimizerKind::Sgd}) {
    t.optimizer = kind;
    t.lr_schedule.kind = LrScheduleKind::Step;
    CHECK_NOTHROW(Trainer(model, t));
  }
}

TEST_CASE("restored epochs get their scheduled rates back", "[lr-schedule]") {
  ModelConfig model_config;
  model_config.hidden = {4};
  AutoRecModel model(model_config, 10, engine::Device::cpu());
  TrainConfig t;
  t.learning_rate = 0.01f;
  t.lr_schedule.kind = LrScheduleKind::Plateau;
  t.lr_schedule.plateau_patience = 1;
  t.lr_schedule.factor = 0.5f;
  Trainer trainer(model, t);
  // Epoch 2 is no better: epoch 3 runs at half the rate, epoch 4 (after a worse epoch 3) at a quarter.
  trainer.restore_progress(validation_history({1.0, 1.1, 1.2, 0.9}), 4, 0.9);
  const auto& history = trainer.history();
  REQUIRE(history.size() == 4);
  CHECK(history[0].learning_rate == Approx(0.01));
  CHECK(history[1].learning_rate == Approx(0.01));
  CHECK(history[2].learning_rate == Approx(0.005));
  CHECK(history[3].learning_rate == Approx(0.0025));
}
