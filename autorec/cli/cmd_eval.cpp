// autorec eval: RMSE and MAE (and optionally top-K ranking metrics) of a trained model on the test
// ratings saved with it, or on another file whose ids are mapped through the model's id maps.
#include <cstdio>
#include <iostream>

#include "autorec/data/load.h"
#include "commands.h"
#include "autorec/json_writer.h"
#include "model_file.h"
#include "run_setup.h"

namespace autorec::cli {
namespace {

// The ratings whose user and item the model knows (ids first seen in a test file get new indices
// past the model's; ranking needs real rows for them).
Ratings known_only(const Ratings& ratings, const Ratings& inputs) {
  std::vector<bool> known(ratings.size());
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    known[i] = ratings.users[i] < inputs.n_users() && ratings.items[i] < inputs.n_items();
  }
  return ratings.select(known, true);
}

Ratings test_ratings(const Options& options, const Checkpoint& checkpoint) {
  if (!options.has("test-file")) return *checkpoint.test;
  LoadOptions load;
  try {
    load.format = parse_format(options.text("test-format", "auto"));
  } catch (const std::invalid_argument& error) {
    options.invalid("test-format", error.what());
  }
  return load_ratings(options.text("test-file"), load, *checkpoint.inputs->user_ids, *checkpoint.inputs->item_ids);
}

}  // namespace

int run_eval(const Options& options) {
  const auto k = static_cast<int>(options.integer("ranking-k", 0, 0, 100000));
  TrainedModel trained = load_trained(options);
  const Checkpoint& c = trained.checkpoint;
  const Ratings test = test_ratings(options, c);
  const std::vector<float> predictions = predict_pairs(*trained.model, trained.input_rows, test, c.rules);
  const RatingMetrics metrics = rating_metrics(predictions, test, trained.input_rows, c.model.orientation);
  std::optional<RankingMetrics> ranking;
  if (k > 0) ranking = ranking_metrics(*trained.model, trained.input_rows, known_only(test, *c.inputs), k);

  if (options.flag("json")) {
    JsonWriter json;
    json.begin_object().field("command", "eval").field("test_rmse", metrics.rmse).field("test_mae", metrics.mae);
    json.field("test_ratings", static_cast<std::uint64_t>(metrics.count))
        .field("cold_start", static_cast<std::uint64_t>(metrics.cold_start));
    if (ranking) {
      json.field("k", ranking->k).field("hit_rate", ranking->hit_rate).field("ndcg", ranking->ndcg);
      json.field("recall", ranking->recall).field("ranking_users", static_cast<std::uint64_t>(ranking->users));
    }
    std::cout << json.end_object().str() << "\n";
    return 0;
  }
  std::printf("test RMSE %.4f  MAE %.4f  over %zu ratings (%zu cold start, predicted %.2f)\n", metrics.rmse,
              metrics.mae, metrics.count, metrics.cold_start, static_cast<double>(c.rules.default_rating));
  if (ranking) {
    std::printf("top-%d over all items: HR %.4f  NDCG %.4f  recall %.4f  (%zu users)\n", ranking->k, ranking->hit_rate,
                ranking->ndcg, ranking->recall, ranking->users);
  }
  return 0;
}

}  // namespace autorec::cli
