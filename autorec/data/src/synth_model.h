// The generative model behind the synthetic data (see synthetic.h). Holds what is per item (popularity
// alias table, biases, factors) and the per-user rating counts; everything per user is re-derived from
// the user's own random stream, so users can be generated one at a time in bounded memory.
#pragma once

#include <cstdint>
#include <vector>

#include "autorec/data/synthetic.h"
#include "seeded_rng.h"

namespace autorec::detail {

struct SynthRating {
  std::int32_t item;
  float rating;  // rounded and clipped
  double mean;   // m(u, i) before noise
};

class SynthModel {
 public:
  explicit SynthModel(const SynthOptions& options);

  std::int64_t n_users() const { return options_.n_users; }
  // The ratings of user u, in ascending item order. Deterministic in (seed, u).
  void generate_user(std::int64_t user, std::vector<SynthRating>& out);

 private:
  void build_item_side();
  void build_user_counts();
  std::int32_t draw_item(SeededRng& rng) const;
  void sample_items_by_rejection(SeededRng& rng, std::int64_t count, std::vector<std::int32_t>& items);
  void sample_items_by_keys(SeededRng& rng, std::int64_t count, std::vector<std::int32_t>& items) const;

  SynthOptions options_;
  std::vector<double> item_weight_;          // (n_items) Zipf popularity
  std::vector<double> alias_probability_;    // (n_items) Vose alias table over item_weight_
  std::vector<std::int32_t> alias_other_;    // (n_items)
  std::vector<float> item_bias_;             // (n_items)
  std::vector<float> item_factors_;          // (n_items, rank)
  std::vector<std::int32_t> user_count_;     // (n_users) ratings per user, summing to n_ratings
  std::vector<std::uint8_t> taken_;          // (n_items) scratch for rejection sampling, all 0 between users
};

}  // namespace autorec::detail
