#include "autorec/bias_baseline.h"

#include <algorithm>
#include <cmath>

#include "autorec/error.h"

namespace autorec {
namespace {

// One closed-form sweep for one side: bias[a] = sum over a's ratings of (r - mu - other[b]) / (n_a + lambda),
// with `own` and `other` the index arrays of the side being fitted and of the side held fixed.
void fit_side(const Ratings& train, double mean, const std::vector<std::int32_t>& own,
              const std::vector<std::int32_t>& other, const std::vector<float>& other_bias, float lambda,
              std::vector<float>& bias) {
  std::vector<double> sums(bias.size(), 0.0);
  std::vector<double> counts(bias.size(), 0.0);
  for (std::size_t r = 0; r < train.size(); ++r) {
    const auto a = static_cast<std::size_t>(own[r]);
    sums[a] += train.values[r] - mean - other_bias[static_cast<std::size_t>(other[r])];
    counts[a] += 1.0;
  }
  for (std::size_t a = 0; a < bias.size(); ++a) {
    const double weight = counts[a] + lambda;  // 0 only for a side without ratings and lambda = 0
    bias[a] = weight > 0.0 ? static_cast<float>(sums[a] / weight) : 0.0f;
  }
}

}  // namespace

BiasBaseline BiasBaseline::fit(const Ratings& train, const BiasBaselineConfig& config) {
  AUTOREC_CONFIG_CHECK(!train.empty(), "the bias baseline needs at least one training rating");
  AUTOREC_CONFIG_CHECK(config.item_lambda >= 0.0f && config.user_lambda >= 0.0f && config.sweeps >= 1,
                       "the bias baseline's lambdas must be >= 0 and its sweeps >= 1");
  BiasBaseline baseline;
  double sum = 0.0;
  for (const float v : train.values) sum += v;
  const double mean = sum / static_cast<double>(train.size());
  baseline.mean_ = static_cast<float>(mean);
  baseline.user_bias_.assign(static_cast<std::size_t>(train.n_users()), 0.0f);
  baseline.item_bias_.assign(static_cast<std::size_t>(train.n_items()), 0.0f);
  for (int sweep = 0; sweep < config.sweeps; ++sweep) {
    fit_side(train, mean, train.items, train.users, baseline.user_bias_, config.item_lambda, baseline.item_bias_);
    fit_side(train, mean, train.users, train.items, baseline.item_bias_, config.user_lambda, baseline.user_bias_);
  }
  return baseline;
}

float BiasBaseline::predict(std::int32_t user, std::int32_t item) const {
  float prediction = mean_;
  if (user >= 0 && static_cast<std::size_t>(user) < user_bias_.size()) prediction += user_bias_[static_cast<std::size_t>(user)];
  if (item >= 0 && static_cast<std::size_t>(item) < item_bias_.size()) prediction += item_bias_[static_cast<std::size_t>(item)];
  return prediction;
}

std::vector<float> BiasBaseline::predict_all(const Ratings& queries, float clip_min, float clip_max) const {
  std::vector<float> predictions(queries.size());
  for (std::size_t r = 0; r < queries.size(); ++r) {
    predictions[r] = std::clamp(predict(queries.users[r], queries.items[r]), clip_min, clip_max);
  }
  return predictions;
}

double BiasBaseline::rmse(const Ratings& queries, float clip_min, float clip_max) const {
  const std::vector<float> predictions = predict_all(queries, clip_min, clip_max);
  double sum = 0.0;
  for (std::size_t r = 0; r < queries.size(); ++r) {
    const double error = static_cast<double>(predictions[r]) - queries.values[r];
    sum += error * error;
  }
  return std::sqrt(sum / static_cast<double>(queries.size()));  // 0 / 0: NaN when empty
}

}  // namespace autorec
