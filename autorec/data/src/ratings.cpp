#include "autorec/data/ratings.h"

#include <algorithm>
#include <stdexcept>

namespace autorec {

void Ratings::reserve(std::size_t n) {
  users.reserve(n);
  items.reserve(n);
  values.reserve(n);
}

void Ratings::push_back(std::int32_t user, std::int32_t item, float value) {
  users.push_back(user);
  items.push_back(item);
  values.push_back(value);
}

void Ratings::recompute_range() {
  if (values.empty()) {
    min_rating = max_rating = 0.0f;
    return;
  }
  const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  min_rating = *lowest;
  max_rating = *highest;
}

Ratings Ratings::select(const std::vector<bool>& in_part, bool part) const {
  if (in_part.size() != size()) throw std::invalid_argument("Ratings::select: mask size differs from the ratings");
  Ratings chosen;
  chosen.user_ids = user_ids;
  chosen.item_ids = item_ids;
  // Sized once and written in place: at 10^8 ratings appends were a fifth of a load's split.
  const auto count = static_cast<std::size_t>(std::count(in_part.begin(), in_part.end(), part));
  chosen.users.resize(count);
  chosen.items.resize(count);
  chosen.values.resize(count);
  std::size_t next = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    if (in_part[i] != part) continue;
    chosen.users[next] = users[i];
    chosen.items[next] = items[i];
    chosen.values[next] = values[i];
    ++next;
  }
  chosen.recompute_range();
  return chosen;
}

bool operator==(const Ratings& a, const Ratings& b) {
  return a.users == b.users && a.items == b.items && a.values == b.values && *a.user_ids == *b.user_ids &&
         *a.item_ids == *b.item_ids && a.min_rating == b.min_rating && a.max_rating == b.max_rating;
}

}  // namespace autorec
