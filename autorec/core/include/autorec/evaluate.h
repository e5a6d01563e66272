// Evaluation under the paper's protocol: the input at prediction time is the TRAINING vector of a
// row; a rating whose user or item has no training rating gets a default prediction (and is
// counted); predictions are clipped to the training rating range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "autorec/data/ratings.h"
#include "autorec/rating_model.h"

namespace autorec {

// The engine matrix of a set of ratings, one row per item (item-based) or per user (user-based).
engine::SparseMatrix to_matrix(const Ratings& ratings, Orientation orientation, engine::Device device = engine::Device::cpu());

struct PredictionRules {
  float default_rating = 3.0f;  // for cold-start pairs (the paper uses 3)
  float clip_min = 1.0f;        // the training rating range
  float clip_max = 5.0f;
};

// The middle of the training rating range as the default, the range itself for clipping.
PredictionRules rules_from_training(const Ratings& train);

// Predictions for every (user, item) pair of `queries`, in their order. `train_rows` is the training
// matrix in the model's orientation (host). Rows are processed in blocks of `block_rows`.
std::vector<float> predict_pairs(RatingModel& model, const engine::SparseMatrix& train_rows, const Ratings& queries,
                                 const PredictionRules& rules, std::int64_t block_rows = 1024);

struct RatingMetrics {
  double rmse = 0.0;  // NaN when there are no ratings
  double mae = 0.0;
  std::size_t count = 0;
  std::size_t cold_start = 0;  // how many got the default
};

// RMSE and MAE of predictions against the queries' ratings; cold_start counted from train_rows.
RatingMetrics rating_metrics(const std::vector<float>& predictions, const Ratings& truth,
                             const engine::SparseMatrix& train_rows, Orientation orientation);

struct RankingMetrics {
  int k = 10;
  double hit_rate = 0.0;  // share of users with at least one held-out item in their top k
  double ndcg = 0.0;      // mean NDCG@k with binary relevance
  double recall = 0.0;    // mean of |top k ∩ held-out| / min(k, |held-out|)
  std::size_t users = 0;  // users with at least one held-out item
};

// Top-k ranking per user over all items, training items masked, held-out items relevant (every
// held-out rating counts as relevant). Full rows are decoded in blocks of `block_rows` rows.
RankingMetrics ranking_metrics(RatingModel& model, const engine::SparseMatrix& train_rows, const Ratings& held_out,
                               int k, std::int64_t block_rows = 256);

// The top-n unseen items for each given user: item indices, best first.
std::vector<std::vector<std::int32_t>> recommend(RatingModel& model, const engine::SparseMatrix& train_rows,
                                                 const std::vector<std::int32_t>& users, int n,
                                                 std::int64_t block_rows = 256);

}  // namespace autorec
