// Entry points of the synthetic data: in memory, streamed to a file, and the noise floor.
#include "autorec/data/synthetic.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "autorec/data/atomic_file.h"
#include "autorec/data/error.h"
#include "synth_model.h"

namespace autorec {
namespace {

void require(bool condition, const std::string& message) {
  if (!condition) throw std::invalid_argument("synthetic data: " + message);
}

// Raw ids are 1-based like MovieLens; users are generated in index order.
std::int64_t raw_user_id(std::int64_t user) { return user + 1; }
std::int64_t raw_item_id(std::int32_t item) { return std::int64_t{item} + 1; }

// Buffered text output with std::to_chars: a 10^9-rating file is ~12 GB, so no iostreams. Written
// through AtomicFile: an interrupted or failed write leaves an existing file as it was.
class RatingLineWriter {
 public:
  RatingLineWriter(const std::filesystem::path& path, SynthFileFormat format)
      : file_(path), separator_(format == SynthFileFormat::csv ? "," : "::") {
    buffer_.resize(1 << 16);
  }

  void write(std::int64_t user, std::int64_t item, int rating) {
    if (used_ + 64 > buffer_.size()) flush();
    char* out = buffer_.data() + used_;
    out = std::to_chars(out, out + 20, user).ptr;
    out += separator_.copy(out, separator_.size());
    out = std::to_chars(out, out + 20, item).ptr;
    out += separator_.copy(out, separator_.size());
    out = std::to_chars(out, out + 11, rating).ptr;
    *out++ = '\n';
    used_ = static_cast<std::size_t>(out - buffer_.data());
  }

  void close() {
    flush();
    file_.commit();
  }

 private:
  void flush() {
    file_.write(buffer_.data(), used_);
    used_ = 0;
  }

  AtomicFile file_;
  std::string separator_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
};

double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Var[r | m] for r = clip(round(m + e), lo, hi), e ~ N(0, sigma^2), from the exact level probabilities.
double rounded_rating_variance(double mean, double sigma, int lo, int hi) {
  double expected = 0.0, second_moment = 0.0;
  for (int level = lo; level <= hi; ++level) {
    const double upper = level == hi ? 1.0 : standard_normal_cdf((level + 0.5 - mean) / sigma);
    const double lower = level == lo ? 0.0 : standard_normal_cdf((level - 0.5 - mean) / sigma);
    const double p = upper - lower;
    expected += p * level;
    second_moment += p * level * level;
  }
  return second_moment - expected * expected;
}

}  // namespace

void validate(const SynthOptions& o) {
  constexpr std::int64_t kMaxIndex = std::numeric_limits<std::int32_t>::max();
  require(o.n_users >= 1 && o.n_users <= kMaxIndex, "n_users must be in [1, 2^31 - 1]");
  require(o.n_items >= 1 && o.n_items <= kMaxIndex, "n_items must be in [1, 2^31 - 1]");
  require(o.n_ratings >= o.n_users, "n_ratings must be at least n_users (every user rates something)");
  require(o.n_ratings / o.n_users <= o.n_items && o.n_ratings <= o.n_users * o.n_items,
          "n_ratings exceeds n_users * n_items");
  require(o.rank >= 0 && o.rank <= 1024, "rank must be in [0, 1024]");
  require(o.noise_stddev > 0.0, "noise_stddev must be positive");
  require(o.user_bias_stddev >= 0.0 && o.item_bias_stddev >= 0.0 && o.factor_stddev >= 0.0,
          "standard deviations must be non-negative");
  require(o.user_zipf_exponent >= 0.0 && o.item_zipf_exponent >= 0.0, "Zipf exponents must be non-negative");
  require(o.min_rating < o.max_rating, "min_rating must be below max_rating");
}

Ratings generate_ratings(const SynthOptions& options) {
  detail::SynthModel model(options);
  IdMap users, items;
  Ratings ratings;
  ratings.reserve(static_cast<std::size_t>(options.n_ratings));
  std::vector<detail::SynthRating> user_ratings;
  for (std::int64_t u = 0; u < model.n_users(); ++u) {
    model.generate_user(u, user_ratings);
    const std::int32_t user = users.intern(raw_user_id(u));
    for (const auto& r : user_ratings) ratings.push_back(user, items.intern(raw_item_id(r.item)), r.rating);
  }
  ratings.user_ids = std::make_shared<const IdMap>(std::move(users));
  ratings.item_ids = std::make_shared<const IdMap>(std::move(items));
  ratings.recompute_range();
  return ratings;
}

void stream_ratings(const SynthOptions& options, const std::filesystem::path& path, SynthFileFormat format) {
  detail::SynthModel model(options);
  RatingLineWriter writer(path, format);
  std::vector<detail::SynthRating> user_ratings;
  for (std::int64_t u = 0; u < model.n_users(); ++u) {
    model.generate_user(u, user_ratings);
    for (const auto& r : user_ratings) writer.write(raw_user_id(u), raw_item_id(r.item), static_cast<int>(r.rating));
  }
  writer.close();
}

SynthNoiseFloor synthetic_noise_floor(const SynthOptions& options) {
  detail::SynthModel model(options);
  double variance_sum = 0.0, rating_sum = 0.0, rating_square_sum = 0.0;
  std::vector<detail::SynthRating> user_ratings;
  for (std::int64_t u = 0; u < model.n_users(); ++u) {
    model.generate_user(u, user_ratings);
    for (const auto& r : user_ratings) {
      variance_sum += rounded_rating_variance(r.mean, options.noise_stddev, options.min_rating, options.max_rating);
      rating_sum += r.rating;
      rating_square_sum += double(r.rating) * r.rating;
    }
  }
  const auto n = static_cast<double>(options.n_ratings);
  SynthNoiseFloor floor;
  floor.bayes_rmse = std::sqrt(variance_sum / n);
  floor.mean_rating = rating_sum / n;
  floor.rating_stddev = std::sqrt(std::max(0.0, rating_square_sum / n - floor.mean_rating * floor.mean_rating));
  return floor;
}

}  // namespace autorec
