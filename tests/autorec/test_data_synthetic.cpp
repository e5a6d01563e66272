// Synthetic data: determinism, sizes, no duplicates, rating range, streaming == in memory.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "autorec/data/load.h"
#include "autorec/data/synthetic.h"
#include "data_test_support.h"

namespace {

autorec::SynthOptions small_options() {
  autorec::SynthOptions options;
  options.n_users = 200;
  options.n_items = 120;
  options.n_ratings = 4000;
  options.seed = 7;
  return options;
}

std::size_t distinct_pairs(const autorec::Ratings& r) {
  std::set<std::pair<std::int32_t, std::int32_t>> pairs;
  for (std::size_t k = 0; k < r.size(); ++k) pairs.emplace(r.users[k], r.items[k]);
  return pairs.size();
}

}  // namespace

TEST_CASE("synthetic data is deterministic in the seed", "[data][synthetic]") {
  const auto options = small_options();
  CHECK(autorec::generate_ratings(options) == autorec::generate_ratings(options));
  auto other = options;
  other.seed = 8;
  CHECK_FALSE(autorec::generate_ratings(other) == autorec::generate_ratings(options));
}

TEST_CASE("synthetic data has the asked sizes, no duplicates, integer ratings in range", "[data][synthetic]") {
  // The rows exercise: a sparse set (rejection sampling), a dense one where heavy users take most
  // items (the exact keyed sampler), and a full matrix (every pair rated once).
  const std::vector<std::array<std::int64_t, 3>> shapes = {{200, 120, 4000}, {30, 40, 900}, {10, 12, 120}};
  for (const auto& [users, items, count] : shapes) {
    auto options = small_options();
    options.n_users = users;
    options.n_items = items;
    options.n_ratings = count;
    const auto ratings = autorec::generate_ratings(options);
    INFO(users << " users, " << items << " items, " << count << " ratings");
    CHECK(static_cast<std::int64_t>(ratings.size()) == count);
    CHECK(ratings.n_users() == users);
    CHECK(ratings.n_items() <= items);
    CHECK(static_cast<std::int64_t>(distinct_pairs(ratings)) == count);
    for (const float value : ratings.values) {
      REQUIRE(value == std::round(value));
      REQUIRE(value >= 1.0f);
      REQUIRE(value <= 5.0f);
    }
  }
}

TEST_CASE("synthetic data at the default (ML-1M) size is heavy-tailed", "[data][synthetic]") {
  const auto ratings = autorec::generate_ratings(autorec::SynthOptions{});
  REQUIRE(ratings.size() == 1000209);
  CHECK(ratings.n_users() == 6040);
  std::vector<int> per_user(static_cast<std::size_t>(ratings.n_users()));
  for (const auto user : ratings.users) ++per_user[static_cast<std::size_t>(user)];
  std::sort(per_user.begin(), per_user.end());
  CHECK(per_user.front() >= 20);
  CHECK(per_user.back() > 10 * per_user[per_user.size() / 2]);  // a long tail of very active users
  CHECK(ratings.min_rating == 1.0f);
  CHECK(ratings.max_rating == 5.0f);
}

TEST_CASE("streaming to a file gives the same ratings as generating in memory", "[data][synthetic]") {
  autorec::test::TempDir dir;
  const auto options = small_options();
  const auto in_memory = autorec::generate_ratings(options);
  autorec::stream_ratings(options, dir.path() / "s.csv", autorec::SynthFileFormat::csv);
  autorec::stream_ratings(options, dir.path() / "s.dat", autorec::SynthFileFormat::ml_1m);
  CHECK(autorec::detect_format(dir.path() / "s.dat") == autorec::Format::ml_1m);
  CHECK(autorec::load_ratings(dir.path() / "s.csv") == in_memory);
  CHECK(autorec::load_ratings(dir.path() / "s.dat") == in_memory);
}

TEST_CASE("impossible synthetic sizes are rejected", "[data][synthetic]") {
  auto options = small_options();
  options.n_ratings = options.n_users * options.n_items + 1;
  CHECK_THROWS_AS(autorec::generate_ratings(options), std::invalid_argument);
  options = small_options();
  options.n_ratings = options.n_users - 1;
  CHECK_THROWS_AS(autorec::generate_ratings(options), std::invalid_argument);
  options = small_options();
  options.noise_stddev = 0.0;
  CHECK_THROWS_AS(autorec::validate(options), std::invalid_argument);
}

TEST_CASE("the noise floor lies between zero and the rating spread and grows with the noise", "[data][synthetic]") {
  auto options = small_options();
  const auto floor = autorec::synthetic_noise_floor(options);
  // Rounding alone adds variance 1/12 and clipping removes some: the floor sits near sqrt(sigma^2 + 1/12).
  const double unclipped = std::sqrt(options.noise_stddev * options.noise_stddev + 1.0 / 12.0);
  CHECK(floor.bayes_rmse > 0.8 * unclipped);
  CHECK(floor.bayes_rmse < unclipped);
  CHECK(floor.bayes_rmse < floor.rating_stddev);
  const auto ratings = autorec::generate_ratings(options);
  double sum = 0.0;
  for (const float value : ratings.values) sum += value;
  CHECK(floor.mean_rating == Approx(sum / double(ratings.size())));
  options.noise_stddev = 0.3;
  CHECK(autorec::synthetic_noise_floor(options).bayes_rmse < floor.bayes_rmse);
}
