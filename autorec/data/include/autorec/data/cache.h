// Binary cache of a parsed Ratings (triplets + id maps), so a large file is parsed once.
// Versioned little-endian format with a magic number and an FNV-1a checksum of the payload, written
// atomically (temp file, fsync, rename). Layout in docs/data.md.
#pragma once

#include <filesystem>

#include "autorec/data/load.h"
#include "autorec/data/ratings.h"

namespace autorec {

// Version 2 added the source fingerprint; older caches are refused ("delete the cache to rebuild it").
inline constexpr std::uint32_t kRatingsCacheVersion = 2;

// Identifies what a cache was parsed from: the load options (format, separator, columns, header,
// duplicates) and the data's path, size, modification time and every byte of its contents, or for a
// folder (Netflix training_set/) those of every regular file in it. Any change gives another value (up to hash collisions), so a
// cache is reused only for the same parse of the same bytes. Throws DataError when `data` is missing.
std::uint64_t data_fingerprint(const std::filesystem::path& data, const LoadOptions& options);

// Stores `source_fingerprint` (data_fingerprint(), or 0) in the header. Throws DataError naming the
// file when it cannot be written.
void save_ratings_cache(const Ratings& ratings, const std::filesystem::path& path,
                        std::uint64_t source_fingerprint = 0);

// Throws DataError naming the file when it is missing, truncated, corrupt or of another version.
Ratings load_ratings_cache(const std::filesystem::path& path);

// The source fingerprint in a cache's header, read without loading the payload. Throws DataError like
// load_ratings_cache for a file that is missing, too short, not a cache, or of another version.
std::uint64_t ratings_cache_fingerprint(const std::filesystem::path& path);

}  // namespace autorec
