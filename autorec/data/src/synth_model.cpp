#include "synth_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace autorec::detail {
namespace {

// Random streams of one seed (SeededRng's second argument). Users take kFirstUserStream + u.
constexpr std::uint64_t kItemStream = 0;
constexpr std::uint64_t kUserCountStream = 1;
constexpr std::uint64_t kFirstUserStream = 2;
// Keeps the least popular items reachable (their shifted Zipf weight is ~0).
constexpr double kItemTailWeight = 1e-3;

// Zipf-like weights for ranks r = 0..n-1, dealt to a random permutation of indices so that activity
// or popularity is not tied to the id:  w(r) = (r + offset)^-s - (n + offset)^-s + tail_weight.
// Subtracting the last rank's term makes the least active user get (almost) only the minimum count
// and stretches the bottom half like real data (ML-1M: minimum 20, median 96, maximum 2,314); the
// offset flattens the head (real top items are not 10x the second).
std::vector<double> zipf_weights(std::int64_t n, double exponent, double tail_weight, SeededRng& rng) {
  constexpr double kOffset = 10.0;
  std::vector<std::int64_t> owner(static_cast<std::size_t>(n));
  std::iota(owner.begin(), owner.end(), 0);
  for (std::size_t k = owner.size(); k > 1; --k) std::swap(owner[k - 1], owner[rng.below(k)]);
  const double last = std::pow(static_cast<double>(n) + kOffset, -exponent);
  std::vector<double> weight(owner.size());
  for (std::size_t rank = 0; rank < owner.size(); ++rank) {
    const double zipf = std::pow(static_cast<double>(rank) + kOffset, -exponent) - last;
    weight[static_cast<std::size_t>(owner[rank])] = zipf + tail_weight;
  }
  return weight;
}

}  // namespace

SynthModel::SynthModel(const SynthOptions& options) : options_(options) {
  validate(options_);
  build_item_side();
  build_user_counts();
  taken_.assign(static_cast<std::size_t>(options_.n_items), 0);
}

void SynthModel::build_item_side() {
  SeededRng rng(options_.seed, kItemStream);
  const auto n = static_cast<std::size_t>(options_.n_items);
  item_weight_ = zipf_weights(options_.n_items, options_.item_zipf_exponent, kItemTailWeight, rng);
  // Vose's alias method: O(1) weighted draws, so a user's items cost O(count), not O(n_items).
  const double total = std::accumulate(item_weight_.begin(), item_weight_.end(), 0.0);
  alias_probability_.resize(n);
  alias_other_.assign(n, 0);
  std::vector<std::int32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    alias_probability_[i] = item_weight_[i] * static_cast<double>(n) / total;
    (alias_probability_[i] < 1.0 ? small : large).push_back(static_cast<std::int32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::int32_t low = small.back(), high = large.back();
    small.pop_back();
    alias_other_[low] = high;
    alias_probability_[high] -= 1.0 - alias_probability_[low];
    if (alias_probability_[high] < 1.0) {
      large.pop_back();
      small.push_back(high);
    }
  }
  for (const std::int32_t i : small) alias_probability_[i] = 1.0;  // rounding leftovers
  for (const std::int32_t i : large) alias_probability_[i] = 1.0;

  const auto rank = static_cast<std::size_t>(options_.rank);
  item_bias_.resize(n);
  item_factors_.resize(n * rank);
  for (std::size_t i = 0; i < n; ++i) {
    item_bias_[i] = static_cast<float>(options_.item_bias_stddev * rng.normal());
    for (std::size_t f = 0; f < rank; ++f) {
      item_factors_[i * rank + f] = static_cast<float>(options_.factor_stddev * rng.normal());
    }
  }
}

// Counts proportional to Zipf weights on top of a per-user minimum, capped at n_items, summing to
// exactly n_ratings (validate() guarantees that is possible).
void SynthModel::build_user_counts() {
  SeededRng rng(options_.seed, kUserCountStream);
  const std::int64_t n_users = options_.n_users, n_items = options_.n_items;
  const std::int64_t floor_count =
      std::clamp<std::int64_t>(std::min(options_.min_ratings_per_user, options_.n_ratings / n_users), 1, n_items);
  const std::vector<double> weight = zipf_weights(n_users, options_.user_zipf_exponent, 0.0, rng);
  const double total_weight = std::accumulate(weight.begin(), weight.end(), 0.0);
  const double extra = static_cast<double>(options_.n_ratings - floor_count * n_users);
  user_count_.resize(static_cast<std::size_t>(n_users));
  std::int64_t assigned = 0;
  for (std::size_t u = 0; u < user_count_.size(); ++u) {
    const auto share = static_cast<std::int64_t>(extra * weight[u] / total_weight);
    user_count_[u] = static_cast<std::int32_t>(std::min(floor_count + share, n_items));
    assigned += user_count_[u];
  }
  // Hand out what rounding and the caps left over, one rating per user per pass.
  for (std::size_t u = 0; assigned < options_.n_ratings; u = (u + 1) % user_count_.size()) {
    if (user_count_[u] < n_items) {
      ++user_count_[u];
      ++assigned;
    }
  }
}

std::int32_t SynthModel::draw_item(SeededRng& rng) const {
  const auto slot = static_cast<std::size_t>(rng.below(alias_probability_.size()));
  return rng.uniform() < alias_probability_[slot] ? static_cast<std::int32_t>(slot) : alias_other_[slot];
}

// Weighted sampling without replacement by drawing and rejecting repeats: fast while the user's items
// hold a modest share of the popularity mass. Gives up (items left empty) when repeats dominate.
void SynthModel::sample_items_by_rejection(SeededRng& rng, std::int64_t count, std::vector<std::int32_t>& items) {
  items.clear();
  const std::int64_t max_draws = 32 * count + 1024;
  for (std::int64_t draws = 0; static_cast<std::int64_t>(items.size()) < count && draws < max_draws; ++draws) {
    const std::int32_t item = draw_item(rng);
    if (taken_[static_cast<std::size_t>(item)]) continue;
    taken_[static_cast<std::size_t>(item)] = 1;
    items.push_back(item);
  }
  for (const std::int32_t item : items) taken_[static_cast<std::size_t>(item)] = 0;
  if (static_cast<std::int64_t>(items.size()) < count) items.clear();
}

// Exact weighted sampling without replacement (Efraimidis-Spirakis: the count largest keys
// u^(1/w), compared as log(u)/w). O(n_items), used for heavy users, where it is cheap per rating.
void SynthModel::sample_items_by_keys(SeededRng& rng, std::int64_t count, std::vector<std::int32_t>& items) const {
  std::vector<std::pair<double, std::int32_t>> keyed(item_weight_.size());
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    keyed[i] = {std::log(1.0 - rng.uniform()) / item_weight_[i], static_cast<std::int32_t>(i)};
  }
  std::nth_element(keyed.begin(), keyed.begin() + (count - 1), keyed.end(), std::greater<>());
  items.clear();
  for (std::int64_t k = 0; k < count; ++k) items.push_back(keyed[static_cast<std::size_t>(k)].second);
}

void SynthModel::generate_user(std::int64_t user, std::vector<SynthRating>& out) {
  SeededRng rng(options_.seed, kFirstUserStream + static_cast<std::uint64_t>(user));
  const auto rank = static_cast<std::size_t>(options_.rank);
  const double user_bias = options_.user_bias_stddev * rng.normal();
  std::vector<double> user_factors(rank);  // (rank)
  for (double& factor : user_factors) factor = options_.factor_stddev * rng.normal();

  const std::int64_t count = user_count_[static_cast<std::size_t>(user)];
  std::vector<std::int32_t> items;
  if (4 * count < options_.n_items) sample_items_by_rejection(rng, count, items);
  if (items.empty()) sample_items_by_keys(rng, count, items);
  std::sort(items.begin(), items.end());

  out.clear();
  for (const std::int32_t item : items) {
    const float* q = &item_factors_[static_cast<std::size_t>(item) * rank];
    double mean = options_.global_mean + user_bias + item_bias_[static_cast<std::size_t>(item)];
    for (std::size_t f = 0; f < rank; ++f) mean += user_factors[f] * q[f];
    const double noisy = std::round(mean + options_.noise_stddev * rng.normal());
    const double clipped = std::clamp(noisy, double(options_.min_rating), double(options_.max_rating));
    out.push_back(SynthRating{item, static_cast<float>(clipped), mean});
  }
}

}  // namespace autorec::detail
