// Finding and resolving duplicated (user, item) pairs after a load.
#pragma once

#include <cstddef>
#include <optional>

#include "autorec/data/load.h"
#include "autorec/data/ratings.h"

namespace autorec::detail {

struct DuplicatePair {
  std::size_t first;   // rating index of an earlier occurrence
  std::size_t second;  // rating index of a later occurrence of the same pair
};

// Applies `policy` in place. With DuplicatePolicy::error nothing changes and the first duplicate found
// (lowest later index) is returned for the caller to report. Cost: a counting sort by user (4 bytes
// per rating, temporary), one pass with a per-item stamp, and a sort only for users with duplicates.
std::optional<DuplicatePair> resolve_duplicates(Ratings& ratings, DuplicatePolicy policy);

}  // namespace autorec::detail
