// The evaluation protocol: metrics against hand-computed values, the cold-start default, clipping
// to the training range, and the training vector (not the test vector) as the input.
#include <catch2/catch.hpp>

#include <cmath>

#include "model_fixtures.h"

using autorec::AutoRecModel;
using autorec::ModelConfig;
using autorec::Orientation;

namespace {
ModelConfig tiny_config(Orientation o) {
  ModelConfig c;
  c.orientation = o;
  c.hidden = {1};
  c.hidden_activation = engine::Activation::Identity;
  return c;
}
}  // namespace

TEST_CASE("RMSE and MAE against hand-computed values, cold starts counted", "[metrics]") {
  // 3 users x 2 items; user 2 has no training rating.
  const auto train = fixtures::ratings(3, 2, {{0, 0, 4}, {1, 1, 2}});
  const auto test = fixtures::ratings(3, 2, {{0, 1, 3}, {1, 0, 5}, {2, 0, 1}});
  const auto rows = autorec::to_matrix(train, Orientation::ItemBased);
  // errors: 0.5, -1, 2 -> RMSE = sqrt((0.25 + 1 + 4) / 3) = 1.3228757, MAE = 3.5 / 3
  const auto m = autorec::rating_metrics({3.5f, 4.0f, 3.0f}, test, rows, Orientation::ItemBased);
  CHECK(m.count == 3);
  CHECK(m.cold_start == 1);
  CHECK(m.rmse == Approx(std::sqrt(5.25 / 3.0)));
  CHECK(m.mae == Approx(3.5 / 3.0));
}

TEST_CASE("cold-start pairs get the default, predictions are clipped to the training range", "[metrics]") {
  // Items 0..2, users 0..2. Item 2 and user 2 have no training rating.
  const auto train = fixtures::ratings(3, 3, {{0, 0, 1}, {1, 1, 5}, {0, 1, 3}});
  const auto queries = fixtures::ratings(3, 3, {{1, 0, 1}, {0, 1, 1}, {0, 2, 1}, {2, 0, 1}});
  const auto rows = autorec::to_matrix(train, Orientation::ItemBased);  // items x users
  AutoRecModel model(tiny_config(Orientation::ItemBased), rows.cols(), engine::Device::cpu());
  fixtures::set_constant_predictions(model, {7.0f, -2.0f, 2.5f});  // per user (the output columns)
  const auto rules = autorec::rules_from_training(train);
  CHECK(rules.default_rating == 3.0f);
  CHECK(rules.clip_min == 1.0f);
  CHECK(rules.clip_max == 5.0f);
  const auto predictions = autorec::predict_pairs(model, rows, queries, rules);
  CHECK(predictions[0] == 1.0f);  // user 1: -2 clipped up to 1
  CHECK(predictions[1] == 5.0f);  // user 0: 7 clipped down to 5
  CHECK(predictions[2] == 3.0f);  // item 2 has no training rating: default
  CHECK(predictions[3] == 3.0f);  // user 2 has no training rating: default
}

TEST_CASE("the input at prediction time is the training vector", "[metrics]") {
  // Item-based rows: item 0 has training ratings 1 and 2 -> prediction 0.5 * 3 = 1.5 for any user;
  // a held-out rating (4) of item 0 must not leak into its input (it would give 0.5 * 7 = 3.5).
  const auto train = fixtures::ratings(3, 1, {{0, 0, 1}, {1, 0, 2}});
  const auto all = fixtures::ratings(3, 1, {{0, 0, 1}, {1, 0, 2}, {2, 0, 4}});
  const auto rows = autorec::to_matrix(train, Orientation::ItemBased);
  AutoRecModel model(tiny_config(Orientation::ItemBased), rows.cols(), engine::Device::cpu());
  fixtures::set_row_sum_predictions(model, 0.5f);
  const auto rules = autorec::PredictionRules{3.0f, 1.0f, 5.0f};
  const auto query = fixtures::ratings(3, 1, {{1, 0, 2}});
  CHECK(autorec::predict_pairs(model, rows, query, rules)[0] == Approx(1.5f));
  const auto leaky_rows = autorec::to_matrix(all, Orientation::ItemBased);
  CHECK(autorec::predict_pairs(model, leaky_rows, query, rules)[0] == Approx(3.5f));  // what a leak would give
}

TEST_CASE("user-based orientation swaps rows and columns", "[metrics]") {
  const auto train = fixtures::ratings(2, 3, {{0, 0, 2}, {0, 1, 2}, {1, 2, 4}});
  const auto rows = autorec::to_matrix(train, Orientation::UserBased);  // users x items
  CHECK(rows.rows() == 2);
  CHECK(rows.cols() == 3);
  AutoRecModel model(tiny_config(Orientation::UserBased), rows.cols(), engine::Device::cpu());
  fixtures::set_row_sum_predictions(model, 0.5f);
  const auto query = fixtures::ratings(2, 3, {{0, 2, 1}, {1, 0, 1}});
  const auto p = autorec::predict_pairs(model, rows, query, {3.0f, 1.0f, 5.0f});
  CHECK(p[0] == Approx(2.0f));  // user 0's training row sums to 4
  CHECK(p[1] == Approx(2.0f));  // user 1's sums to 4
}

TEST_CASE("metrics of no ratings are undefined, and mismatched sizes are refused", "[metrics]") {
  const auto train = fixtures::ratings(2, 2, {{0, 0, 4}});
  const auto none = fixtures::ratings(2, 2, {});
  const auto rows = autorec::to_matrix(train, Orientation::ItemBased);
  const auto m = autorec::rating_metrics({}, none, rows, Orientation::ItemBased);
  CHECK(m.count == 0);
  CHECK(std::isnan(m.rmse));
  CHECK_THROWS_AS(autorec::rating_metrics({1.0f}, none, rows, Orientation::ItemBased), std::invalid_argument);
}
