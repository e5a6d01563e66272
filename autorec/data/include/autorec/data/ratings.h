// Ratings: a COO list of (user, item, rating) triplets with dense int32 indices, 12 bytes per rating,
// plus the id maps that give the raw ids back. The maps are shared (train, test and validation parts of
// one data set point at the same maps, so an index means the same user everywhere).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "autorec/data/id_map.h"

namespace autorec {

struct Ratings {
  std::vector<std::int32_t> users;  // (n_ratings) dense user index
  std::vector<std::int32_t> items;  // (n_ratings) dense item index
  std::vector<float> values;        // (n_ratings) the rating
  std::shared_ptr<const IdMap> user_ids = std::make_shared<IdMap>();
  std::shared_ptr<const IdMap> item_ids = std::make_shared<IdMap>();
  // Range of the values held (0, 0 when empty). Splits recompute it per part.
  float min_rating = 0.0f;
  float max_rating = 0.0f;

  std::size_t size() const { return values.size(); }
  bool empty() const { return values.empty(); }
  std::int32_t n_users() const { return user_ids->size(); }
  std::int32_t n_items() const { return item_ids->size(); }

  void reserve(std::size_t n);
  void push_back(std::int32_t user, std::int32_t item, float value);  // does not touch the range
  void recompute_range();

  // The ratings i with in_part[i] == part, in their order, sharing this set's id maps; the range is
  // recomputed. One bit per rating keeps splits of 10^8 ratings cheap.
  Ratings select(const std::vector<bool>& in_part, bool part) const;
};

// Same triplets in the same order, same id maps (by content) and same range.
bool operator==(const Ratings& a, const Ratings& b);

}  // namespace autorec
