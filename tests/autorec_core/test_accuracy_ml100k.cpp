// The accuracy bar on real data: I-AutoRec with the default configuration on MovieLens-100K, random
// 90/10 split, validation carved from the training part, must reach test RMSE <= 0.89 (and biased
// matrix factorisation with its defaults <= 0.905). Needs the
// data (AUTOREC_ML100K_DIR); skipped visibly without it, and under sanitizers (too slow there).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "autorec/data/load.h"
#include "autorec/data/split.h"
#include "autorec/evaluate.h"
#include "autorec/matrix_factorization.h"
#include "autorec/model.h"
#include "autorec/trainer.h"
#include "testsupport/skip.h"

#if defined(__SANITIZE_ADDRESS__)
#define AUTOREC_SANITIZED 1
#else
#define AUTOREC_SANITIZED 0
#endif

TEST_CASE("I-AutoRec defaults reach RMSE <= 0.89 on MovieLens-100K", "[accuracy][ml100k]") {
  const char* dir = std::getenv("AUTOREC_ML100K_DIR");
  if (dir == nullptr || *dir == '\0') testsupport::skip_test("set AUTOREC_ML100K_DIR to the ml-100k folder");
  if (AUTOREC_SANITIZED) testsupport::skip_test("too slow under the sanitizers (the Release build runs it)");
  using namespace autorec;
  const Ratings all = load_ratings(std::filesystem::path(dir) / "u.data");
  REQUIRE(all.size() == 100000);
  const Split outer = random_holdout(all, 0.1, 1);
  const Split inner = validation_holdout(outer.train, 0.1, 1);

  const ModelConfig model_config;  // defaults
  const TrainConfig train_config;  // defaults
  const engine::SparseMatrix fit_rows = to_matrix(inner.train, model_config.orientation);
  AutoRecModel model(model_config, fit_rows.cols(), engine::Device::cpu());
  Trainer trainer(model, train_config);
  const PredictionRules fit_rules = rules_from_training(inner.train);
  trainer.fit(fit_rows,
              [&](RatingModel& m) {
                return rating_metrics(predict_pairs(m, fit_rows, inner.test, fit_rules), inner.test, fit_rows,
                                      model_config.orientation)
                    .rmse;
              },
              {});
  // Test predictions use the whole training part as input.
  const engine::SparseMatrix train_rows = to_matrix(outer.train, model_config.orientation);
  const auto predictions = predict_pairs(model, train_rows, outer.test, rules_from_training(outer.train));
  const RatingMetrics m = rating_metrics(predictions, outer.test, train_rows, model_config.orientation);
  WARN("ML-100K I-AutoRec: test RMSE " << m.rmse << ", MAE " << m.mae << ", best epoch " << trainer.best_epoch()
                                       << ", cold-start ratings " << m.cold_start);
  CHECK(m.rmse <= 0.89);
}

// The sanitizer-sized variant: a smaller model for a few epochs, so it runs in every build (the
// sanitizers included) whenever the data is there. Its bar: clearly better than predicting the global
// mean (RMSE 1.13 on this split) and than the plain bias baseline's 0.954 reported in DESIGN.md.
TEST_CASE("a small I-AutoRec beats the bias baseline on MovieLens-100K within 8 epochs", "[accuracy][ml100k]") {
  const char* dir = std::getenv("AUTOREC_ML100K_DIR");
  if (dir == nullptr || *dir == '\0') testsupport::skip_test("set AUTOREC_ML100K_DIR to the ml-100k folder");
  using namespace autorec;
  const Ratings all = load_ratings(std::filesystem::path(dir) / "u.data");
  const Split outer = random_holdout(all, 0.1, 1);
  ModelConfig model_config;
  model_config.hidden = {64};
  TrainConfig train_config;
  train_config.max_epochs = 8;
  train_config.learning_rate = 0.005f;
  const engine::SparseMatrix train_rows = to_matrix(outer.train, model_config.orientation);
  AutoRecModel model(model_config, train_rows.cols(), engine::Device::cpu());
  Trainer trainer(model, train_config);
  trainer.fit(train_rows, {}, {});
  const auto predictions = predict_pairs(model, train_rows, outer.test, rules_from_training(outer.train));
  const RatingMetrics m = rating_metrics(predictions, outer.test, train_rows, model_config.orientation);
  WARN("small ML-100K I-AutoRec after 8 epochs: test RMSE " << m.rmse);
  CHECK(m.rmse <= 0.95);
}

// The second model's bar, with the CLI's defaults for --model mf (64 factors, lambda 12, lr 0.01:
// chosen by validation RMSE, docs/usage.md): biased matrix factorisation measured 0.8991 on this split.
TEST_CASE("biased matrix factorisation with its defaults reaches RMSE <= 0.905 on MovieLens-100K",
          "[accuracy][ml100k][mf]") {
  const char* dir = std::getenv("AUTOREC_ML100K_DIR");
  if (dir == nullptr || *dir == '\0') testsupport::skip_test("set AUTOREC_ML100K_DIR to the ml-100k folder");
  if (AUTOREC_SANITIZED) testsupport::skip_test("too slow under the sanitizers (the Release build runs it)");
  using namespace autorec;
  const Ratings all = load_ratings(std::filesystem::path(dir) / "u.data");
  const Split outer = random_holdout(all, 0.1, 1);
  const Split inner = validation_holdout(outer.train, 0.1, 1);
  const engine::SparseMatrix fit_rows = to_matrix(inner.train, Orientation::ItemBased);
  const auto model = make_model(matrix_factorization_record({}, fit_rows.rows(), fit_rows.cols()), engine::Device::cpu());
  TrainConfig train_config;
  train_config.lambda = 12.0f;
  train_config.learning_rate = 0.01f;
  Trainer trainer(*model, train_config);
  const PredictionRules fit_rules = rules_from_training(inner.train);
  trainer.fit(fit_rows,
              [&](RatingModel& m) {
                return rating_metrics(predict_pairs(m, fit_rows, inner.test, fit_rules), inner.test, fit_rows,
                                      Orientation::ItemBased)
                    .rmse;
              },
              {});
  const engine::SparseMatrix train_rows = to_matrix(outer.train, Orientation::ItemBased);
  const auto predictions = predict_pairs(*model, train_rows, outer.test, rules_from_training(outer.train));
  const RatingMetrics m = rating_metrics(predictions, outer.test, train_rows, Orientation::ItemBased);
  WARN("ML-100K biased MF: test RMSE " << m.rmse << ", best epoch " << trainer.best_epoch());
  CHECK(m.rmse <= 0.905);
}
