// AutoRec from C++: synthetic data, the paper's 90/10 protocol, I-AutoRec with early stopping on a
// validation split, and the test RMSE.
#include <cstdio>

#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/evaluate.h"
#include "autorec/trainer.h"
#include "autorec/model.h"

int main() {
  autorec::SynthOptions data_options;  // MovieLens-1M-shaped by default; smaller here
  data_options.n_users = 600;
  data_options.n_items = 400;
  data_options.n_ratings = 30000;
  const autorec::Ratings ratings = autorec::generate_ratings(data_options);
  const autorec::Split outer = autorec::random_holdout(ratings, 0.1, /*seed=*/1);
  const autorec::Split inner = autorec::validation_holdout(outer.train, 0.1, /*seed=*/1);

  autorec::ModelConfig model_config;  // I-AutoRec, 500 sigmoid units, identity output
  model_config.hidden = {64};
  autorec::TrainConfig train_config;  // Adam, lambda 100, early stopping
  train_config.batch_size = autorec::kAutoRecBatchSize;  // the CLI's AutoRec defaults: 1024 rows, lr 0.002
  train_config.learning_rate = autorec::kAutoRecAdamRate;
  train_config.max_epochs = 30;

  const engine::SparseMatrix fit_rows = autorec::to_matrix(inner.train, model_config.orientation);
  autorec::AutoRecModel model(model_config, fit_rows.cols(), engine::Device::cpu());
  autorec::Trainer trainer(model, train_config);
  const autorec::PredictionRules rules = autorec::rules_from_training(inner.train);
  auto validation_rmse = [&](autorec::RatingModel& m) {
    return autorec::rating_metrics(autorec::predict_pairs(m, fit_rows, inner.test, rules), inner.test, fit_rows,
                                   model_config.orientation)
        .rmse;
  };
  trainer.fit(fit_rows, validation_rmse, {});

  const engine::SparseMatrix train_rows = autorec::to_matrix(outer.train, model_config.orientation);
  const auto predictions =
      autorec::predict_pairs(model, train_rows, outer.test, autorec::rules_from_training(outer.train));
  const auto metrics = autorec::rating_metrics(predictions, outer.test, train_rows, model_config.orientation);
  std::printf("best epoch %d, test RMSE %.4f, MAE %.4f over %zu ratings\n", trainer.best_epoch(), metrics.rmse,
              metrics.mae, metrics.count);
  return 0;
}
