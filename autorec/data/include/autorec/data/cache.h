// Binary cache of a parsed Ratings (triplets + id maps), so a large file is parsed once.
// Versioned little-endian format with a magic number and an FNV-1a checksum of the payload, written
// atomically (temp file, fsync, rename). Layout in docs/data.md.
#pragma once

#include <filesystem>

#include "autorec/data/ratings.h"

namespace autorec {

inline constexpr std::uint32_t kRatingsCacheVersion = 1;

// Throws DataError naming the file when it cannot be written.
void save_ratings_cache(const Ratings& ratings, const std::filesystem::path& path);

// Throws DataError naming the file when it is missing, truncated, corrupt or of another version.
Ratings load_ratings_cache(const std::filesystem::path& path);

}  // namespace autorec
