// Splits: sizes, no overlap or leakage, determinism, k-fold coverage, cold-start counts.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "data_test_support.h"

namespace {

using Triplet = std::tuple<std::int32_t, std::int32_t, float>;

std::multiset<Triplet> triplets(const autorec::Ratings& r) {
  std::multiset<Triplet> out;
  for (std::size_t k = 0; k < r.size(); ++k) out.emplace(r.users[k], r.items[k], r.values[k]);
  return out;
}

autorec::Ratings sample_ratings() {
  autorec::SynthOptions options;
  options.n_users = 1500;
  options.n_items = 300;
  options.n_ratings = 5001;
  options.min_ratings_per_user = 1;  // many one-rating users, so some test ratings are cold start
  options.seed = 3;
  return autorec::generate_ratings(options);
}

// Independent recount: test ratings whose user or item is absent from train.
std::size_t count_cold(const autorec::Ratings& train, const autorec::Ratings& test) {
  const std::set<std::int32_t> users(train.users.begin(), train.users.end());
  const std::set<std::int32_t> items(train.items.begin(), train.items.end());
  std::size_t cold = 0;
  for (std::size_t k = 0; k < test.size(); ++k) cold += !users.count(test.users[k]) || !items.count(test.items[k]);
  return cold;
}

void check_partition(const autorec::Split& split, const autorec::Ratings& all) {
  CHECK(split.train.size() + split.test.size() == all.size());
  std::multiset<Triplet> joined = triplets(split.train);
  const auto test = triplets(split.test);
  joined.insert(test.begin(), test.end());
  CHECK(joined == triplets(all));  // nothing lost, nothing in both
  CHECK(split.train.user_ids == all.user_ids);  // shared maps, not copies
  CHECK(split.test.item_ids == all.item_ids);
  CHECK(split.test_is_cold_start.size() == split.test.size());
  CHECK(split.cold_start_count == count_cold(split.train, split.test));
}

}  // namespace

TEST_CASE("random holdout: 90/10 sizes, a partition, seeded", "[data][split]") {
  const auto all = sample_ratings();
  const auto split = autorec::random_holdout(all);
  CHECK(split.test.size() == static_cast<std::size_t>(std::llround(0.1 * double(all.size()))));
  check_partition(split, all);
  CHECK(split.cold_start_count > 0);  // this data set is sparse enough to have some
  CHECK(triplets(autorec::random_holdout(all, 0.1, 1).test) == triplets(split.test));
  CHECK_FALSE(triplets(autorec::random_holdout(all, 0.1, 2).test) == triplets(split.test));
  const auto quarter = autorec::random_holdout(all, 0.25, 9);
  CHECK(quarter.test.size() == static_cast<std::size_t>(std::llround(0.25 * double(all.size()))));
  CHECK_THROWS_AS(autorec::random_holdout(all, 1.5), std::invalid_argument);
}

TEST_CASE("validation holdout is carved from train and independent of the test split", "[data][split]") {
  const auto all = sample_ratings();
  const auto outer = autorec::random_holdout(all, 0.1, 1);
  const auto inner = autorec::validation_holdout(outer.train, 0.1, 1);
  check_partition(inner, outer.train);
  // The same seed must not pick the same positions as the test split did on the full set.
  CHECK_FALSE(triplets(autorec::validation_holdout(all, 0.1, 1).test) == triplets(outer.test));
}

TEST_CASE("k-fold: every rating in test exactly once, balanced folds", "[data][split]") {
  const auto all = sample_ratings();
  constexpr int kFolds = 5;
  std::multiset<Triplet> tested;
  for (int fold = 0; fold < kFolds; ++fold) {
    const auto split = autorec::k_fold(all, kFolds, fold, 11);
    check_partition(split, all);
    const std::size_t base = all.size() / kFolds;
    CHECK(split.test.size() >= base);
    CHECK(split.test.size() <= base + 1);
    const auto test = triplets(split.test);
    tested.insert(test.begin(), test.end());
  }
  CHECK(tested == triplets(all));
  CHECK_THROWS_AS(autorec::k_fold(all, kFolds, kFolds), std::invalid_argument);
  CHECK_THROWS_AS(autorec::k_fold(all, 1, 0), std::invalid_argument);
}

TEST_CASE("train/test files: test ids go through the train maps, unseen ones are cold start", "[data][split]") {
  autorec::test::TempDir dir;
  const auto train = dir.write("u1.base", "10\t100\t5\t0\n10\t200\t3\t0\n20\t100\t4\t0\n");
  // User 30 and item 900 appear only in test: lines 2 and 3 are cold start.
  const auto test = dir.write("u1.test", "10\t200\t4\t0\n30\t100\t2\t0\n20\t900\t1\t0\n20\t200\t3\t0\n");
  const auto split = autorec::split_from_files(train, test);
  CHECK(split.train.size() == 3);
  CHECK(split.test.size() == 4);
  CHECK(split.train.user_ids == split.test.user_ids);
  CHECK(split.train.n_users() == 3);  // the shared map holds the test-only user too
  CHECK(split.test.users[0] == split.train.users[0]);  // raw 10 has one index in both
  CHECK(split.test.items[0] == split.train.items[1]);  // raw 200
  CHECK(split.test_is_cold_start == std::vector<bool>{false, true, true, false});
  CHECK(split.cold_start_count == 2);
  CHECK(split.train.max_rating == 5.0f);
  CHECK(split.test.min_rating == 1.0f);
}
