// The bias baseline every report is measured against: r(u, i) = mu + b_u + b_i, the global mean plus a
// user and an item offset, each shrunk toward zero by a regularisation counted in ratings (a bias
// estimated from n ratings is damped by n / (n + lambda)), fitted by alternating closed-form sweeps
// (Koren, "Factorization meets the neighborhood", KDD 2008, section 2.1). Being counted in ratings,
// the lambdas do not depend on the rating scale. A model that cannot beat this has not earned its keep.
#pragma once

#include <cstdint>
#include <vector>

#include "autorec/data/ratings.h"

namespace autorec {

struct BiasBaselineConfig {
  float item_lambda = 25.0f;  // shrinkage of an item's bias, in ratings
  float user_lambda = 10.0f;  // shrinkage of a user's bias, in ratings
  int sweeps = 10;            // alternating item / user sweeps (converged to ~1e-5 RMSE after a few)
};

class BiasBaseline {
 public:
  // Fits on `train`; throws ConfigError when it is empty or a lambda is negative.
  static BiasBaseline fit(const Ratings& train, const BiasBaselineConfig& config = {});

  // mu + b_u + b_i, unclipped; a user or item index outside the training maps contributes no bias.
  float predict(std::int32_t user, std::int32_t item) const;
  // Predictions for every rating of `queries`, clipped to [clip_min, clip_max].
  std::vector<float> predict_all(const Ratings& queries, float clip_min, float clip_max) const;
  // The RMSE of those predictions against the queries' ratings (NaN when there are none).
  double rmse(const Ratings& queries, float clip_min, float clip_max) const;

  float global_mean() const { return mean_; }
  const std::vector<float>& user_biases() const { return user_bias_; }
  const std::vector<float>& item_biases() const { return item_bias_; }

 private:
  float mean_ = 0.0f;
  std::vector<float> user_bias_, item_bias_;
};

}  // namespace autorec
