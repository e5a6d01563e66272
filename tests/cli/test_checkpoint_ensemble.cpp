// The ensemble model (autorec/ensemble.h) through the library: its record, the blend fit, predictions
// of members of both orientations through the RatingModel paths, and its checkpoint round trip.
#include <catch2/catch.hpp>

#include <cmath>

#include "autorec/ensemble.h"
#include "checkpoint_fixture.h"
#include "data_test_support.h"

namespace autorec {
namespace {

// An item-based and a user-based AutoRec trained on the tiny run, as an ensemble with the baseline.
struct TinyEnsemble {
  test::TinyRun run{20};
  std::unique_ptr<EnsembleModel> model;

  TinyEnsemble() {
    auto item = run.make_model();
    Trainer(*item, run.train).fit(run.fit_rows, run.validation_fn(), {});
    ModelConfig user_config = run.model;
    user_config.orientation = Orientation::UserBased;
    const engine::SparseMatrix user_rows = to_matrix(*run.fit, Orientation::UserBased);
    auto user = std::make_unique<AutoRecModel>(user_config, user_rows.cols(), engine::Device::cpu());
    Trainer(*user, run.train).fit(user_rows, nullptr, {});
    const ModelRecord record =
        ensemble_record({item->record(), user->record()}, true, run.fit_rows.rows(), run.fit_rows.cols());
    std::vector<std::unique_ptr<RatingModel>> members;
    members.push_back(std::move(item));
    members.push_back(std::move(user));
    model = std::make_unique<EnsembleModel>(record, std::move(members), engine::Device::cpu());
    model->bind_inputs(run.fit);
  }
};

TEST_CASE("an ensemble record keeps its members' records", "[ensemble]") {
  ModelConfig item;
  item.hidden = {8};
  ModelConfig user = item;
  user.orientation = Orientation::UserBased;
  user.dropout = 0.5f;
  const std::vector<ModelRecord> members = {autorec_record(item, 60), autorec_record(user, 40)};
  const ModelRecord record = ensemble_record(members, true, 40, 60);
  CHECK(record.kind == "ensemble");
  CHECK(record.orientation == Orientation::ItemBased);
  CHECK(ensemble_members(record) == members);
  CHECK(ensemble_has_baseline(record));
  CHECK(model_summary(record) == "I-AutoRec hidden 8 sigmoid/identity + U-AutoRec hidden 8 sigmoid/identity "
                                 "dropout 50% + bias baseline, blended on validation");
  ModelRecord unknown = record;
  unknown.settings.emplace_back("colour", "red");
  CHECK_THROWS_WITH(ensemble_members(unknown), Catch::Contains("no setting 'colour'"));
  ModelRecord stray = record;
  stray.settings.emplace_back("member3.hidden", "8");
  CHECK_THROWS_WITH(ensemble_members(stray), Catch::Contains("names no member"));
}

TEST_CASE("the blend fit recovers a known blend of its members", "[ensemble]") {
  TinyEnsemble e;
  const float default_rating = e.run.rules.default_rating;
  const auto parts = e.model->member_predictions(*e.run.validation, default_rating);
  REQUIRE(parts.size() == 3);  // item, user, baseline
  Ratings truth = *e.run.validation;
  for (std::size_t q = 0; q < truth.size(); ++q) {
    truth.values[q] = 0.2f + 0.3f * parts[0][q] + 0.6f * parts[1][q] + 0.1f * parts[2][q];
  }
  const BlendWeights w = e.model->fit_blend(truth, default_rating, 0.0);
  CHECK(w.intercept == Approx(0.2).margin(2e-3));
  CHECK(w.members[0] == Approx(0.3).margin(2e-3));
  CHECK(w.members[1] == Approx(0.6).margin(2e-3));
  CHECK(w.baseline == Approx(0.1).margin(2e-3));
  // A strong ridge pulls the weights to the plain average of the members and the baseline.
  const BlendWeights shrunk = e.model->fit_blend(truth, default_rating, 1e6);
  CHECK(shrunk.members[0] == Approx(1.0 / 3).margin(1e-3));
  CHECK(shrunk.members[1] == Approx(1.0 / 3).margin(1e-3));
  CHECK(shrunk.baseline == Approx(1.0 / 3).margin(1e-3));
}

TEST_CASE("an ensemble predicts its blend through predict_pairs and predict_rows", "[ensemble]") {
  TinyEnsemble e;
  BlendWeights w;
  w.intercept = -0.1f;
  w.members = {0.7f, 0.35f};
  w.baseline = 0.05f;
  e.model->set_blend(w);
  const Ratings& queries = *e.run.validation;
  const auto parts = e.model->member_predictions(queries, e.run.rules.default_rating);
  const auto predictions = predict_pairs(*e.model, e.run.fit_rows, queries, e.run.rules);
  const engine::SparseMatrix& full_block = e.run.fit_rows;  // every item row at once
  std::vector<engine::index_t> rows(static_cast<std::size_t>(full_block.rows()));
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = static_cast<engine::index_t>(r);
  engine::Tensor decoded(full_block.rows(), full_block.cols(), engine::Device::cpu());
  e.model->predict_rows(RowBlock{full_block, rows}, decoded);
  const std::vector<float> dense = decoded.to_host();
  std::size_t warm = 0;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const std::size_t user = static_cast<std::size_t>(queries.users[q]), item = static_cast<std::size_t>(queries.items[q]);
    const bool cold = predictions[q] == e.run.rules.default_rating && parts[0][q] == e.run.rules.default_rating;
    if (cold) continue;
    ++warm;
    const float blended = w.intercept + w.members[0] * parts[0][q] + w.members[1] * parts[1][q] + w.baseline * parts[2][q];
    CHECK(predictions[q] == Approx(std::clamp(blended, e.run.rules.clip_min, e.run.rules.clip_max)).margin(1e-4));
    CHECK(dense[item * static_cast<std::size_t>(full_block.cols()) + user] == Approx(blended).margin(1e-4));
  }
  CHECK(warm > queries.size() / 2);
  engine::DeviceAccumulator sse(engine::Device::cpu());
  CHECK_THROWS_WITH(e.model->train_batch(RowBlock{full_block, rows}, 1.0f, sse, 1, nullptr),
                    Catch::Contains("not trained by batches"));
  CHECK_THROWS_WITH(e.model->encode(RowBlock{full_block, rows}), Catch::Contains("no single representation"));
}

TEST_CASE("an ensemble checkpoint holds its members and blend and predicts the same after loading", "[ensemble][checkpoint]") {
  TinyEnsemble e;
  e.model->fit_blend(*e.run.validation, e.run.rules.default_rating);
  const TrainingProgress progress{{}, 0, 0.95};
  test::TempDir dir;
  save_checkpoint(dir.path() / "e.ckpt", capture_ensemble_checkpoint(*e.model, e.run.train, e.run.identity, progress,
                                                                     e.run.rules, e.run.fit, e.run.test));
  const Checkpoint loaded = load_checkpoint(dir.path() / "e.ckpt");
  CHECK(loaded.model == e.model->record());
  REQUIRE(loaded.member_parameters.size() == 2);
  CHECK(loaded.progress.best_validation_rmse == 0.95);
  const auto model = load_trained_model(loaded, engine::Device::cpu());
  auto* ensemble = dynamic_cast<EnsembleModel*>(model.get());
  REQUIRE(ensemble != nullptr);
  CHECK(ensemble->blend().members == e.model->blend().members);
  CHECK(ensemble->blend().intercept == e.model->blend().intercept);
  CHECK(predict_pairs(*model, e.run.fit_rows, *e.run.test, e.run.rules) ==
        predict_pairs(*e.model, e.run.fit_rows, *e.run.test, e.run.rules));
  // A checkpoint whose member records are missing is refused, not read past.
  Checkpoint short_of_members = loaded;
  short_of_members.member_parameters.pop_back();
  CHECK_THROWS_WITH(load_trained_model(short_of_members, engine::Device::cpu()), Catch::Contains("1 member weight records"));
}

}  // namespace
}  // namespace autorec
