// Real MovieLens 100K, only when AUTOREC_ML100K_DIR names its folder (the data is never in the repo).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>

#include "autorec/data/load.h"
#include "autorec/data/split.h"
#include "testsupport/skip.h"

namespace {

// The data folder, or a skip (reported by ctest) when AUTOREC_ML100K_DIR is not set.
const char* ml100k_dir() {
  const char* dir = std::getenv("AUTOREC_ML100K_DIR");
  if (dir == nullptr || *dir == '\0') testsupport::skip_test("AUTOREC_ML100K_DIR is not set: no real ML-100K data");
  return dir;
}

}  // namespace

TEST_CASE("ML-100K u.data loads with the published counts", "[data][ml100k]") {
  const char* dir = ml100k_dir();
  const std::filesystem::path file = std::filesystem::path(dir) / "u.data";
  CHECK(autorec::detect_format(file) == autorec::Format::ml_100k);
  const auto ratings = autorec::load_ratings(file);  // duplicate policy error: ML-100K has none
  CHECK(ratings.size() == 100000);
  CHECK(ratings.n_users() == 943);
  CHECK(ratings.n_items() == 1682);
  CHECK(ratings.min_rating == 1.0f);
  CHECK(ratings.max_rating == 5.0f);
}

TEST_CASE("ML-100K u1.base / u1.test split from files", "[data][ml100k]") {
  const char* dir = ml100k_dir();
  const std::filesystem::path folder(dir);
  const auto split = autorec::split_from_files(folder / "u1.base", folder / "u1.test");
  CHECK(split.train.size() == 80000);
  CHECK(split.test.size() == 20000);
  CHECK(split.train.n_users() <= 943);
  CHECK(split.train.n_items() <= 1682);
  const std::set<std::int32_t> items(split.train.items.begin(), split.train.items.end());
  std::size_t unseen_items = 0;  // every u1.test user is in u1.base, so cold start = unseen items
  for (const auto item : split.test.items) unseen_items += items.count(item) == 0;
  CHECK(split.cold_start_count == unseen_items);
  WARN("ML-100K u1.test: " << split.cold_start_count << " cold-start ratings");
}
