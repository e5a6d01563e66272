// The bias baseline: exact recovery of additive ratings, shrinkage counted in ratings by hand, unseen
// users and items, clipping, and refusal of bad settings.
#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>
#include <vector>

#include "autorec/bias_baseline.h"
#include "autorec/error.h"
#include "model_fixtures.h"

using autorec::BiasBaseline;
using autorec::BiasBaselineConfig;

TEST_CASE("the bias baseline recovers additive ratings exactly without shrinkage", "[baseline]") {
  // r = 3 + u_bias + i_bias on a complete 12 x 9 grid: one sweep pair is exact, the rest keep it.
  std::vector<std::tuple<int, int, float>> rows;
  for (int u = 0; u < 12; ++u) {
    for (int i = 0; i < 9; ++i) rows.emplace_back(u, i, 3.0f + 0.25f * static_cast<float>(u % 5) - 0.5f + 0.125f * i);
  }
  const auto train = fixtures::ratings(12, 9, rows);
  BiasBaselineConfig config;
  config.item_lambda = config.user_lambda = 0.0f;
  const BiasBaseline baseline = BiasBaseline::fit(train, config);
  for (const auto& [u, i, r] : rows) CHECK(baseline.predict(u, i) == Approx(r).margin(1e-5));
}

TEST_CASE("the bias baseline shrinks each bias by its rating count", "[baseline]") {
  // Two users, two items; item 1 has one rating. With the user side fixed at zero by a huge user lambda,
  // b_i = sum(r - mu) / (n_i + lambda_i): hand-computed values.
  const auto train = fixtures::ratings(2, 2, {{0, 0, 5}, {1, 0, 3}, {0, 1, 1}});
  BiasBaselineConfig config;
  config.item_lambda = 2.0f;
  config.user_lambda = 1e30f;
  config.sweeps = 1;
  const BiasBaseline baseline = BiasBaseline::fit(train, config);
  const double mu = 3.0;
  CHECK(baseline.global_mean() == Approx(mu));
  CHECK(baseline.item_biases()[0] == Approx(((5 - mu) + (3 - mu)) / (2 + 2.0)).margin(1e-6));
  CHECK(baseline.item_biases()[1] == Approx((1 - mu) / (1 + 2.0)));
  CHECK(std::abs(baseline.user_biases()[0]) < 1e-20);
}

TEST_CASE("the bias baseline predicts unseen users and items from what it knows, clipped", "[baseline]") {
  const auto train = fixtures::ratings(3, 3, {{0, 0, 5}, {0, 1, 4}, {1, 0, 4}});
  const BiasBaseline baseline = BiasBaseline::fit(train);
  // User 2 and item 2 have no training rating: their bias is 0, not NaN.
  CHECK(baseline.user_biases()[2] == 0.0f);
  CHECK(baseline.item_biases()[2] == 0.0f);
  CHECK(baseline.predict(2, 2) == Approx(baseline.global_mean()));
  CHECK(baseline.predict(99, 0) == Approx(baseline.global_mean() + baseline.item_biases()[0]));
  const auto queries = fixtures::ratings(3, 3, {{0, 0, 1}, {2, 2, 1}});
  const std::vector<float> clipped = baseline.predict_all(queries, 1.0f, 4.0f);  // the mean is 4.33
  CHECK(clipped == std::vector<float>{4.0f, 4.0f});
  const std::vector<float> unclipped = baseline.predict_all(queries, 1.0f, 5.0f);
  CHECK(unclipped[1] == Approx(baseline.global_mean()));
  // Errors of the clipped predictions against ratings 1 and 1: 3 and 3.
  CHECK(baseline.rmse(queries, 1.0f, 4.0f) == Approx(3.0));
}

TEST_CASE("the bias baseline refuses empty data and negative lambdas", "[baseline]") {
  CHECK_THROWS_AS(BiasBaseline::fit(fixtures::ratings(1, 1, {})), autorec::ConfigError);
  BiasBaselineConfig config;
  config.user_lambda = -1.0f;
  CHECK_THROWS_AS(BiasBaseline::fit(fixtures::ratings(1, 1, {{0, 0, 3}}), config), autorec::ConfigError);
}
