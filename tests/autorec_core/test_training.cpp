// Training behaviour on small synthetic data: learning happens, runs are deterministic, early
// stopping keeps the best weights, a stop request is honoured, every optimizer and variant trains.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>

#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/evaluate.h"
#include "autorec/trainer.h"
#include "autorec/model.h"

#include "model_fixtures.h"

using namespace autorec;

namespace {

using fixtures::mean_baseline_rmse;
using fixtures::Problem;
using fixtures::test_rmse;

ModelConfig model_config(Orientation o, std::vector<std::int64_t> hidden = {16}) {
  ModelConfig c;
  c.orientation = o;
  c.hidden = std::move(hidden);
  return c;
}

TrainConfig train_config(OptimizerKind kind, float lr, int epochs) {
  TrainConfig t;
  t.optimizer = kind;
  t.learning_rate = lr;
  t.lambda = 1.0f;
  t.batch_size = 16;
  t.max_epochs = epochs;
  t.patience = epochs;
  return t;
}

}  // namespace

TEST_CASE("each optimizer and orientation learns better than the global mean", "[training]") {
  struct Case {
    const char* name;
    Orientation orientation;
    OptimizerKind optimizer;
    float lr;
    std::vector<std::int64_t> hidden;
    float dropout;
  };
  const Case cases[] = {
      {"I-AutoRec adam", Orientation::ItemBased, OptimizerKind::Adam, 0.01f, {16}, 0.0f},
      {"U-AutoRec adam", Orientation::UserBased, OptimizerKind::Adam, 0.01f, {16}, 0.0f},
      {"deep 16-8-16 adam", Orientation::ItemBased, OptimizerKind::Adam, 0.01f, {16, 8, 16}, 0.0f},
      {"adam + dropout", Orientation::ItemBased, OptimizerKind::Adam, 0.01f, {16}, 0.2f},
      {"adamw", Orientation::ItemBased, OptimizerKind::AdamW, 0.01f, {16}, 0.0f},
      {"sgd momentum", Orientation::ItemBased, OptimizerKind::Sgd, 0.002f, {16}, 0.0f},
      {"rprop full batch", Orientation::ItemBased, OptimizerKind::Rprop, 0.01f, {16}, 0.0f},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const Problem p = fixtures::small_problem(c.orientation);
    ModelConfig mc = model_config(c.orientation, c.hidden);
    mc.dropout = c.dropout;
    AutoRecModel model(mc, p.train_rows.cols(), engine::Device::cpu());
    Trainer trainer(model, train_config(c.optimizer, c.lr, 40));
    trainer.fit(p.train_rows, nullptr, {});
    REQUIRE(trainer.history().size() == 40);
    CHECK(trainer.history().back().train_loss < trainer.history().front().train_loss);
    CHECK(test_rmse(model, p) < mean_baseline_rmse(p));
  }
}

TEST_CASE("training is deterministic for a seed on the CPU", "[training]") {
  const Problem p = fixtures::small_problem(Orientation::ItemBased);
  std::vector<std::vector<float>> weights;
  for (int run = 0; run < 2; ++run) {
    ModelConfig mc = model_config(Orientation::ItemBased);
    mc.dropout = 0.1f;
    AutoRecModel model(mc, p.train_rows.cols(), engine::Device::cpu());
    Trainer trainer(model, train_config(OptimizerKind::Adam, 0.01f, 3));
    trainer.fit(p.train_rows, nullptr, {});
    weights.push_back(model.parameters().value(model.parameters().find("encoder.weight")).to_host());
  }
  CHECK(weights[0] == weights[1]);
}

TEST_CASE("early stopping keeps the best validation weights", "[training]") {
  const Problem p = fixtures::small_problem(Orientation::ItemBased);
  AutoRecModel model(model_config(Orientation::ItemBased), p.train_rows.cols(), engine::Device::cpu());
  TrainConfig t = train_config(OptimizerKind::Adam, 0.01f, 30);
  t.patience = 2;
  Trainer trainer(model, t);
  // A validation score that is best at epoch 3 and worse afterwards.
  int calls = 0;
  std::vector<float> weights_at_epoch_3;
  auto validate = [&](RatingModel& m) {
    ++calls;
    if (calls == 3) weights_at_epoch_3 = m.parameters().value(0).to_host();
    return calls == 3 ? 0.5 : 1.0 + calls;
  };
  trainer.fit(p.train_rows, validate, {});
  CHECK(trainer.best_epoch() == 3);
  CHECK(trainer.history().size() == 5);  // epochs 4 and 5 without improvement, then stop
  CHECK(model.parameters().value(0).to_host() == weights_at_epoch_3);
}

TEST_CASE("a stop request ends training between batches", "[training]") {
  const Problem p = fixtures::small_problem(Orientation::ItemBased);
  AutoRecModel model(model_config(Orientation::ItemBased), p.train_rows.cols(), engine::Device::cpu());
  Trainer trainer(model, train_config(OptimizerKind::Adam, 0.01f, 10));
  std::atomic<bool> stop{false};
  TrainCallbacks callbacks;
  callbacks.on_batch = [&](int epoch, std::int64_t batch, std::int64_t) {
    if (epoch == 2 && batch == 2) stop = true;
  };
  trainer.fit(p.train_rows, nullptr, callbacks, &stop);
  CHECK(trainer.interrupted());
  CHECK(trainer.history().size() == 1);
}

TEST_CASE("bad configurations are rejected", "[training]") {
  CHECK_THROWS_WITH(AutoRecModel(model_config(Orientation::ItemBased, {}), 5, engine::Device::cpu()),
                    Catch::Contains("at least one hidden layer"));
  ModelConfig bad_dropout = model_config(Orientation::ItemBased);
  bad_dropout.dropout = 1.0f;
  CHECK_THROWS_WITH(AutoRecModel(bad_dropout, 5, engine::Device::cpu()), Catch::Contains("dropout"));
  CHECK_THROWS_WITH(parse_optimizer("lbfgs"), Catch::Contains("'lbfgs'") && Catch::Contains("rprop"));
  CHECK_THROWS_AS(parse_activation("gelu"), std::invalid_argument);
  const Problem p = fixtures::small_problem(Orientation::ItemBased);
  AutoRecModel model(model_config(Orientation::ItemBased), p.train_rows.cols() + 1, engine::Device::cpu());
  Trainer trainer(model, train_config(OptimizerKind::Adam, 0.01f, 1));
  CHECK_THROWS_WITH(trainer.fit(p.train_rows, nullptr, {}), Catch::Contains("columns"));
}

TEST_CASE("a diverging run stops and keeps its best finite epoch", "[training]") {
  const Problem p = fixtures::small_problem(Orientation::ItemBased);
  ModelConfig mc = model_config(Orientation::ItemBased);
  mc.hidden_activation = engine::Activation::Identity;
  AutoRecModel model(mc, p.train_rows.cols(), engine::Device::cpu());
  TrainConfig t = train_config(OptimizerKind::Sgd, 1e5f, 20);  // absurd step: blows up within a few epochs
  Trainer trainer(model, t);
  int calls = 0;
  trainer.fit(p.train_rows, [&](RatingModel& m) { ++calls; return test_rmse(m, p); }, {});
  REQUIRE(!trainer.history().empty());
  CHECK(trainer.history().size() < 20);                         // stopped once the loss was not finite
  CHECK(!std::isfinite(trainer.history().back().train_loss));
  if (trainer.best_epoch() > 0) CHECK(std::isfinite(trainer.best_validation_rmse()));
}

TEST_CASE("AdamW's decoupled decay is its own setting, the L2 term still applies", "[training]") {
  const Problem p = fixtures::small_problem(Orientation::ItemBased);
  std::vector<float> norms;
  for (float decay : {0.0f, 5.0f}) {
    AutoRecModel model(model_config(Orientation::ItemBased), p.train_rows.cols(), engine::Device::cpu());
    TrainConfig t = train_config(OptimizerKind::AdamW, 0.01f, 10);
    t.lambda = 0.0f;
    t.weight_decay = decay;
    Trainer trainer(model, t);
    trainer.fit(p.train_rows, nullptr, {});
    norms.push_back(static_cast<float>(engine::l2_penalty(model.parameters(), "weights", 2.0f)));
    if (decay == 0.0f) CHECK(test_rmse(model, p) < mean_baseline_rmse(p));
  }
  CHECK(norms[1] < 0.5f * norms[0]);  // lr * decay = 0.05 per step shrinks the weights
}
