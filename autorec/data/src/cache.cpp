// The ratings cache file (layout in docs/data.md):
//   header (72 bytes): magic "ARRATING", u32 version, u32 flags, u64 n_ratings, u64 n_users,
//                      u64 n_items, f32 min, f32 max, u64 payload bytes, u64 source fingerprint,
//                      u64 checksum
//   payload: i32 users[n], i32 items[n], f32 values[n], user id map, item id map
//   id map: i64 ids[count] (integer ids) or, per id, u32 length + bytes (string ids)
// The checksum is FNV-1a (word-wise) of the header's first 64 bytes followed by the payload, so a
// flipped bit anywhere is caught.
#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <fstream>

#include "autorec/data/atomic_file.h"
#include "autorec/data/cache.h"
#include "autorec/data/error.h"
#include "cache_io.h"

namespace autorec {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the ratings cache is little-endian; a big-endian host needs byte swaps here");

constexpr char kMagic[8] = {'A', 'R', 'R', 'A', 'T', 'I', 'N', 'G'};
constexpr std::uint32_t kUserStringIds = 1u << 0;
constexpr std::uint32_t kItemStringIds = 1u << 1;

struct CacheHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t flags;
  std::uint64_t n_ratings;
  std::uint64_t n_users;
  std::uint64_t n_items;
  float min_rating;
  float max_rating;
  std::uint64_t payload_bytes;
  std::uint64_t source_fingerprint;  // data_fingerprint() of the parse the cache came from
  std::uint64_t checksum;
};
static_assert(sizeof(CacheHeader) == 72, "the header layout is part of the file format");
constexpr std::size_t kChecksummedHeaderBytes = offsetof(CacheHeader, checksum);

std::uint64_t id_map_bytes(const IdMap& map) {
  if (!map.has_string_ids()) return 8ull * map.integer_ids().size();
  std::uint64_t bytes = 0;
  for (const std::string& id : map.string_ids()) bytes += 4 + id.size();
  return bytes;
}

// Writes bytes to the file and to the checksum in one go.
struct ChecksummedWriter {
  AtomicFile& file;
  detail::Fnv1a64& checksum;
  void write(const void* data, std::size_t size) {
    file.write(data, size);
    checksum.update(data, size);
  }
};

void write_id_map(ChecksummedWriter& out, const IdMap& map) {
  if (!map.has_string_ids()) {
    out.write(map.integer_ids().data(), 8 * map.integer_ids().size());
    return;
  }
  for (const std::string& id : map.string_ids()) {
    const auto length = static_cast<std::uint32_t>(id.size());
    out.write(&length, 4);
    out.write(id.data(), id.size());
  }
}

IdMap read_id_map(detail::FileByteReader& in, std::uint64_t count, bool string_ids) {
  if (!string_ids) {
    std::vector<std::int64_t> ids;
    in.read_array(ids, count);
    return IdMap::from_integer_ids(std::move(ids));
  }
  if (count > in.remaining() / 4) in.ends_early(4 * count);  // every string id takes 4 bytes at least
  std::vector<std::string> ids;
  ids.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t k = 0; k < count; ++k) {
    const auto length = in.read<std::uint32_t>();
    if (length > in.remaining()) in.ends_early(length);
    std::string& id = ids.emplace_back(length, '\0');
    in.read(id.data(), length);
  }
  return IdMap::from_string_ids(std::move(ids));
}

// The header's fixed fields: size, magic and version (what can be checked without the payload).
CacheHeader read_header_fields(std::string_view bytes, const std::string& file) {
  CacheHeader header{};
  if (bytes.size() < sizeof header) {
    throw DataError(file, 0, "truncated cache: " + std::to_string(bytes.size()) + " bytes, the header alone is " +
                                 std::to_string(sizeof header));
  }
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0) throw DataError(file, 0, "not a ratings cache (bad magic)");
  if (header.version != kRatingsCacheVersion) {
    throw DataError(file, 0, "cache version " + std::to_string(header.version) + ", this build reads version " +
                                 std::to_string(kRatingsCacheVersion) + " (delete the cache to rebuild it)");
  }
  return header;
}

void check_indices(const std::vector<std::int32_t>& indices, std::uint64_t bound, const char* what,
                   const std::string& file) {
  for (const std::int32_t index : indices) {
    if (index < 0 || static_cast<std::uint64_t>(index) >= bound) {
      throw DataError(file, 0, std::string("corrupt cache: ") + what + " index out of range");
    }
  }
}

// Every value finite and inside the header's range (the range is what predictions are clipped to).
void check_values(const std::vector<float>& values, float min, float max, const std::string& file) {
  if (values.empty()) return;
  if (!std::isfinite(min) || !std::isfinite(max) || min > max) {
    throw DataError(file, 0, "corrupt cache: bad rating range");
  }
  for (const float value : values) {
    if (!(value >= min && value <= max)) throw DataError(file, 0, "corrupt cache: rating outside the header's range");
  }
}

Ratings read_cache(const std::string& file) {
  detail::FileByteReader in(file);
  std::string header_bytes(sizeof(CacheHeader), '\0');
  in.read(header_bytes.data(), std::min<std::uint64_t>(in.size(), sizeof(CacheHeader)));
  header_bytes.resize(std::min<std::uint64_t>(in.size(), sizeof(CacheHeader)));
  const CacheHeader header = read_header_fields(header_bytes, file);
  const std::uint64_t payload = in.remaining();
  if (header.payload_bytes != payload) {
    throw DataError(file, 0, "truncated or corrupt cache: header says " + std::to_string(header.payload_bytes) +
                                 " payload bytes, file has " + std::to_string(payload));
  }
  if (header.n_users > INT32_MAX || header.n_items > INT32_MAX) {
    throw DataError(file, 0, "corrupt cache: id count out of range");
  }
  detail::Fnv1a64 checksum;
  checksum.update(header_bytes.data(), kChecksummedHeaderBytes);
  in.checksum = &checksum;
  Ratings ratings;
  in.read_array(ratings.users, header.n_ratings);
  in.read_array(ratings.items, header.n_ratings);
  in.read_array(ratings.values, header.n_ratings);
  IdMap users = read_id_map(in, header.n_users, header.flags & kUserStringIds);
  IdMap items = read_id_map(in, header.n_items, header.flags & kItemStringIds);
  if (in.remaining() != 0) throw DataError(file, 0, "corrupt cache: trailing bytes after the id maps");
  if (static_cast<std::uint64_t>(users.size()) != header.n_users ||
      static_cast<std::uint64_t>(items.size()) != header.n_items) {
    throw DataError(file, 0, "corrupt cache: an id map's size differs from the header's count");
  }
  if (checksum.digest() != header.checksum) throw DataError(file, 0, "corrupt cache: checksum mismatch");
  // The checksum is no signature (anyone can forge one): check everything a later step relies on.
  check_indices(ratings.users, header.n_users, "user", file);
  check_indices(ratings.items, header.n_items, "item", file);
  check_values(ratings.values, header.min_rating, header.max_rating, file);
  ratings.user_ids = std::make_shared<const IdMap>(std::move(users));
  ratings.item_ids = std::make_shared<const IdMap>(std::move(items));
  ratings.min_rating = header.min_rating;
  ratings.max_rating = header.max_rating;
  return ratings;
}

}  // namespace

void save_ratings_cache(const Ratings& ratings, const std::filesystem::path& path, std::uint64_t source_fingerprint) {
  CacheHeader header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kRatingsCacheVersion;
  header.flags = (ratings.user_ids->has_string_ids() ? kUserStringIds : 0u) |
                 (ratings.item_ids->has_string_ids() ? kItemStringIds : 0u);
  header.n_ratings = ratings.size();
  header.n_users = static_cast<std::uint64_t>(ratings.n_users());
  header.n_items = static_cast<std::uint64_t>(ratings.n_items());
  header.min_rating = ratings.min_rating;
  header.max_rating = ratings.max_rating;
  header.payload_bytes = 12ull * ratings.size() + id_map_bytes(*ratings.user_ids) + id_map_bytes(*ratings.item_ids);
  header.source_fingerprint = source_fingerprint;

  try {
    AtomicFile file(path);
    detail::Fnv1a64 checksum;
    checksum.update(&header, kChecksummedHeaderBytes);
    file.write(&header, sizeof header);  // placeholder: rewritten with the checksum at the end
    ChecksummedWriter out{file, checksum};
    out.write(ratings.users.data(), 4 * ratings.size());
    out.write(ratings.items.data(), 4 * ratings.size());
    out.write(ratings.values.data(), 4 * ratings.size());
    write_id_map(out, *ratings.user_ids);
    write_id_map(out, *ratings.item_ids);
    header.checksum = checksum.digest();
    file.write_at(0, &header, sizeof header);
    file.commit();
  } catch (const WriteError& error) {  // the data layer's one error type, as cache.h promises
    throw DataError(path.string(), 0, std::string(error.what()).substr(error.path().string().size() + 2));
  }
}

static std::uintmax_t fs_size(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::file_size(path, error);
}

Ratings load_ratings_cache(const std::filesystem::path& path) {
  const std::string file = path.string();
  try {
    return read_cache(file);
  } catch (const DataError&) {
    throw;
  } catch (const std::bad_alloc&) {  // the counts were checked against the file's size: a real shortage
    throw std::runtime_error(file + ": out of host memory loading the cache (" + std::to_string(fs_size(path)) +
                             " bytes of ratings and ids)");
  } catch (const std::exception& error) {  // duplicate ids in a forged map, a length error, ...
    throw DataError(file, 0, std::string("corrupt cache: ") + error.what());
  }
}

std::uint64_t ratings_cache_fingerprint(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(file, 0, "cannot open");
  std::string bytes(sizeof(CacheHeader), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return read_header_fields(bytes, file).source_fingerprint;
}

}  // namespace autorec
