// A large delimited file parsed in byte ranges at once, one per OpenMP thread, each range with its own
// id maps; the ranges are merged in file order, so the Ratings (indices, id maps, order) are exactly a
// sequential parse's, and an error names the same file and line a sequential parse would.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "autorec/data/ratings.h"
#include "parsers.h"

namespace autorec::detail {

// nullopt when a sequential parse is the right one: fewer than 2 ranges wanted (max_ranges, or 0 for
// one per OpenMP thread), a file below 2 x min_range_bytes, not a regular file, or a first non-blank
// line outside the first range. Ids are interned through copies of the
// given maps (known ids keep their index, new ones are appended), as load_ratings documents.
std::optional<Ratings> load_delimited_parallel(const std::string& path, const DelimitedSpec& spec,
                                               const IdMap& initial_users, const IdMap& initial_items,
                                               std::uint64_t min_range_bytes, int max_ranges);

}  // namespace autorec::detail
