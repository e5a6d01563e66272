#include "autorec/data/split.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "seeded_rng.h"

namespace autorec {
namespace {

// Random streams of a split seed, distinct from each other so that, e.g., the validation split drawn
// with seed 1 is independent of the test split drawn with seed 1.
constexpr std::uint64_t kHoldoutStream = 0x7e57;
constexpr std::uint64_t kValidationStream = 0x7a11;
constexpr std::uint64_t kFoldStream = 0xf01d;

void check_fraction(double fraction, const char* what) {
  if (!(fraction > 0.0 && fraction < 1.0)) {
    throw std::invalid_argument(std::string(what) + " must be in (0, 1), got " + std::to_string(fraction));
  }
}

// Knuth's selection sampling (Algorithm S): exactly `count` of n positions, every subset equally
// likely, one pass, no permutation array.
std::vector<bool> choose_exactly(std::size_t n, std::size_t count, detail::SeededRng& rng) {
  std::vector<bool> chosen(n, false);
  std::size_t still_needed = count;
  for (std::size_t i = 0; i < n && still_needed > 0; ++i) {
    if (rng.below(n - i) < still_needed) {
      chosen[i] = true;
      --still_needed;
    }
  }
  return chosen;
}

Split make_split(const Ratings& ratings, const std::vector<bool>& in_test) {
  Split split;
  try {
    split.train = ratings.select(in_test, false);
    split.test = ratings.select(in_test, true);
    split.test_is_cold_start = mark_cold_start(split.train, split.test);
  } catch (const std::bad_alloc&) {  // what for and how much, not just "std::bad_alloc"
    throw std::runtime_error("out of host memory splitting " + std::to_string(ratings.size()) + " ratings (" +
                             std::to_string(12 * ratings.size()) + " bytes for the two parts)");
  }
  for (const bool cold : split.test_is_cold_start) split.cold_start_count += cold ? 1 : 0;
  return split;
}

Split holdout(const Ratings& ratings, double fraction, std::uint64_t seed, std::uint64_t stream) {
  detail::SeededRng rng(seed, stream);
  const auto count = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(ratings.size())));
  return make_split(ratings, choose_exactly(ratings.size(), count, rng));
}

}  // namespace

Split random_holdout(const Ratings& ratings, double test_fraction, std::uint64_t seed) {
  check_fraction(test_fraction, "test fraction");
  return holdout(ratings, test_fraction, seed, kHoldoutStream);
}

Split validation_holdout(const Ratings& train, double validation_fraction, std::uint64_t seed) {
  check_fraction(validation_fraction, "validation fraction");
  return holdout(train, validation_fraction, seed, kValidationStream);
}

Split k_fold(const Ratings& ratings, int n_folds, int fold, std::uint64_t seed) {
  if (n_folds < 2) throw std::invalid_argument("k-fold needs at least 2 folds, got " + std::to_string(n_folds));
  if (fold < 0 || fold >= n_folds) {
    throw std::invalid_argument("fold " + std::to_string(fold) + " is not in [0, " + std::to_string(n_folds) + ")");
  }
  // Deal ratings to folds sequentially, each with probability proportional to its free places: fold
  // sizes are n/K or n/K + 1, and every call with the same seed deals identically, so the K calls
  // partition the ratings.
  const std::size_t n = ratings.size(), k = static_cast<std::size_t>(n_folds);
  std::vector<std::size_t> free_places(k, n / k);
  for (std::size_t f = 0; f < n % k; ++f) ++free_places[f];
  detail::SeededRng rng(seed, kFoldStream);
  std::vector<bool> in_test(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t draw = rng.below(n - i);
    std::size_t f = 0;
    while (draw >= free_places[f]) draw -= free_places[f++];
    --free_places[f];
    in_test[i] = f == static_cast<std::size_t>(fold);
  }
  return make_split(ratings, in_test);
}

Split split_from_files(const std::filesystem::path& train_path, const std::filesystem::path& test_path,
                       const LoadOptions& options) {
  Ratings train = load_ratings(train_path, options);
  Ratings test = load_ratings(test_path, options, *train.user_ids, *train.item_ids);
  // The test load extended the train maps (appending only), so train's indices stay valid under them.
  train.user_ids = test.user_ids;
  train.item_ids = test.item_ids;
  Split split;
  split.test_is_cold_start = mark_cold_start(train, test);
  for (const bool cold : split.test_is_cold_start) split.cold_start_count += cold ? 1 : 0;
  split.train = std::move(train);
  split.test = std::move(test);
  return split;
}

std::vector<bool> mark_cold_start(const Ratings& train, const Ratings& test) {
  std::vector<bool> user_seen(static_cast<std::size_t>(std::max(train.n_users(), test.n_users())), false);
  std::vector<bool> item_seen(static_cast<std::size_t>(std::max(train.n_items(), test.n_items())), false);
  for (std::size_t i = 0; i < train.size(); ++i) {
    user_seen[static_cast<std::size_t>(train.users[i])] = true;
    item_seen[static_cast<std::size_t>(train.items[i])] = true;
  }
  std::vector<bool> cold(test.size());
  for (std::size_t i = 0; i < test.size(); ++i) {
    cold[i] = !user_seen[static_cast<std::size_t>(test.users[i])] || !item_seen[static_cast<std::size_t>(test.items[i])];
  }
  return cold;
}

}  // namespace autorec
