// Duplicate (user, item) policies, checked on a hand-made file and against a std::map reference.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <sstream>

#include "autorec/data/load.h"
#include "data_test_support.h"

using autorec::DuplicatePolicy;
using autorec::load_ratings;
using autorec::LoadOptions;

namespace {

// (raw user, raw item, rating) in load order.
std::vector<std::tuple<std::int64_t, std::int64_t, float>> triplets(const autorec::Ratings& r) {
  std::vector<std::tuple<std::int64_t, std::int64_t, float>> out;
  for (std::size_t k = 0; k < r.size(); ++k) {
    out.emplace_back(r.user_ids->integer_id(r.users[k]), r.item_ids->integer_id(r.items[k]), r.values[k]);
  }
  return out;
}

LoadOptions with_policy(DuplicatePolicy policy) {
  LoadOptions options;
  options.duplicates = policy;
  return options;
}

}  // namespace

TEST_CASE("duplicate policies on a small file", "[data][duplicates]") {
  autorec::test::TempDir dir;
  // (1, 1) appears on lines 1, 4 and 5.
  const auto file = dir.write("dup.data", "1\t1\t1\n1\t2\t5\n2\t1\t4\n1\t1\t3\n1\t1\t5\n");
  using T = std::vector<std::tuple<std::int64_t, std::int64_t, float>>;

  SECTION("error names both lines") {
    autorec::test::require_data_error([&] { load_ratings(file); }, file, 4, file.string() + ":1");
    autorec::test::require_data_error([&] { load_ratings(file); }, file, 4, "user 1, item 1");
  }
  SECTION("keep-first") {
    CHECK(triplets(load_ratings(file, with_policy(DuplicatePolicy::keep_first))) == T{{1, 1, 1}, {1, 2, 5}, {2, 1, 4}});
  }
  SECTION("keep-last keeps the last occurrence at its own position") {
    CHECK(triplets(load_ratings(file, with_policy(DuplicatePolicy::keep_last))) == T{{1, 2, 5}, {2, 1, 4}, {1, 1, 5}});
  }
  SECTION("average, at the first occurrence's position") {
    const auto ratings = load_ratings(file, with_policy(DuplicatePolicy::average));
    CHECK(triplets(ratings) == T{{1, 1, 3}, {1, 2, 5}, {2, 1, 4}});
    CHECK(ratings.min_rating == 3.0f);
  }
  SECTION("policy names") {
    CHECK(autorec::parse_duplicate_policy("keep-last") == DuplicatePolicy::keep_last);
    CHECK(autorec::duplicate_policy_name(DuplicatePolicy::average) == "average");
    CHECK_THROWS_AS(autorec::parse_duplicate_policy("newest"), std::invalid_argument);
  }
}

TEST_CASE("duplicate policies match a std::map reference on random data", "[data][duplicates]") {
  autorec::test::TempDir dir;
  std::mt19937 rng(12345);
  std::ostringstream text;
  std::vector<std::tuple<std::int64_t, std::int64_t, int>> written;
  for (int k = 0; k < 3000; ++k) {
    const std::int64_t user = rng() % 40 * 7, item = rng() % 30 + 100;
    const int rating = static_cast<int>(rng() % 5) + 1;
    written.emplace_back(user, item, rating);
    text << user << ',' << item << ',' << rating << '\n';
  }
  const auto file = dir.write("random.csv", text.str());

  // Reference: for each pair, the line of its first and last occurrence and the mean.
  struct Group {
    std::size_t first = 0, last = 0, count = 0;
    double sum = 0.0;
    float first_value = 0, last_value = 0;
  };
  std::map<std::pair<std::int64_t, std::int64_t>, Group> groups;
  for (std::size_t line = 0; line < written.size(); ++line) {
    const auto& [user, item, rating] = written[line];
    Group& g = groups[{user, item}];
    if (g.count == 0) g.first = line, g.first_value = static_cast<float>(rating);
    g.last = line, g.last_value = static_cast<float>(rating);
    g.sum += rating;
    ++g.count;
  }
  for (const auto policy : {DuplicatePolicy::keep_first, DuplicatePolicy::keep_last, DuplicatePolicy::average}) {
    std::vector<std::tuple<std::size_t, std::int64_t, std::int64_t, float>> expected;  // (kept line, user, item, value)
    for (const auto& [pair, g] : groups) {
      const std::size_t line = policy == DuplicatePolicy::keep_last ? g.last : g.first;
      const float value = policy == DuplicatePolicy::keep_first  ? g.first_value
                          : policy == DuplicatePolicy::keep_last ? g.last_value
                                                                 : static_cast<float>(g.sum / double(g.count));
      expected.emplace_back(line, pair.first, pair.second, value);
    }
    std::sort(expected.begin(), expected.end());
    std::vector<std::tuple<std::int64_t, std::int64_t, float>> expected_triplets;
    for (const auto& [line, user, item, value] : expected) expected_triplets.emplace_back(user, item, value);
    INFO("policy " << autorec::duplicate_policy_name(policy));
    CHECK(triplets(load_ratings(file, with_policy(policy))) == expected_triplets);
  }
}
