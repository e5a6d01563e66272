// Synthetic rating data, deterministic from a seed, shaped like MovieLens-1M by default.
//
// Model (docs/data.md has the reasoning and the measured numbers):
//   true mean  m(u,i) = global_mean + b_u + b_i + p_u . q_i      p_u, q_i ~ N(0, factor_stddev^2)^rank
//   rating     r(u,i) = clip(round(m(u,i) + e), min_rating, max_rating)     e ~ N(0, noise_stddev^2)
// User activity and item popularity are Zipf-like: user u rates count(u) items (every user at least
// min_ratings_per_user), drawn without replacement with probability proportional to the item's Zipf weight.
// Raw ids are 1-based (user u has raw id u + 1; item i has raw id i + 1); the id maps keep first-seen
// order, so generate_ratings() equals loading the file that stream_ratings() writes.
#pragma once

#include <cstdint>
#include <filesystem>

#include "autorec/data/ratings.h"

namespace autorec {

struct SynthOptions {
  std::int64_t n_users = 6040;
  std::int64_t n_items = 3706;
  std::int64_t n_ratings = 1000209;
  std::uint64_t seed = 1;
  int rank = 10;
  double global_mean = 3.58;
  double user_bias_stddev = 0.40;
  double item_bias_stddev = 0.45;
  double factor_stddev = 0.40;
  double noise_stddev = 0.85;
  double user_zipf_exponent = 0.35;  // activity of the r-th most active user ~ (r+10)^-s - (n+10)^-s
  double item_zipf_exponent = 0.45;  // popularity of the r-th most popular item, same shape
  std::int64_t min_ratings_per_user = 20;  // lowered automatically when n_ratings / n_users is smaller
  int min_rating = 1;
  int max_rating = 5;
};

// Throws std::invalid_argument on impossible sizes (more ratings than users x items, ...).
void validate(const SynthOptions& options);

Ratings generate_ratings(const SynthOptions& options);

enum class SynthFileFormat {
  csv,    // "user,item,rating" lines, no header
  ml_1m,  // "user::item::rating" lines (ratings.dat without timestamps)
};

// Writes the same ratings as generate_ratings() to `path`, one user at a time: memory is O(n_users +
// n_items * rank), not O(n_ratings). Throws DataError when the file cannot be written.
void stream_ratings(const SynthOptions& options, const std::filesystem::path& path,
                    SynthFileFormat format = SynthFileFormat::csv);

// What the best possible predictor (one that knows m(u,i) and the noise) would score: the RMSE of
// E[r | m] against r, computed exactly per rating from the normal CDF and averaged over the data set.
// A trained model cannot beat it; it tells how meaningful a model's RMSE on synthetic data is.
struct SynthNoiseFloor {
  double bayes_rmse = 0.0;   // sqrt(mean Var[r | m])
  double mean_rating = 0.0;
  double rating_stddev = 0.0;  // spread of the generated ratings (the global-mean predictor's RMSE)
};
SynthNoiseFloor synthetic_noise_floor(const SynthOptions& options);

}  // namespace autorec
