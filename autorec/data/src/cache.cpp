// The ratings cache file (layout in docs/data.md):
//   header (72 bytes): magic "ARRATING", u32 version, u32 flags, u64 n_ratings, u64 n_users,
//                      u64 n_items, f32 min, f32 max, u64 payload bytes, u64 source fingerprint,
//                      u64 checksum
//   payload: i32 users[n], i32 items[n], f32 values[n], user id map, item id map
//   id map: i64 ids[count] (integer ids) or, per id, u32 length + bytes (string ids)
// The checksum is FNV-1a (word-wise) of the header's first 64 bytes followed by the payload, so a
// flipped bit anywhere is caught.
#include <bit>
#include <cstddef>
#include <cstring>
#include <fstream>

#include "autorec/data/cache.h"
#include "autorec/data/error.h"
#include "cache_io.h"
#include "mapped_file.h"

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
  detail::AtomicFileWriter& file;
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

IdMap read_id_map(detail::ByteReader& in, std::uint64_t count, bool string_ids, const std::string& file) {
  try {
    if (!string_ids) {
      std::vector<std::int64_t> ids;
      in.read_array(ids, count);
      return IdMap::from_integer_ids(std::move(ids));
    }
    std::vector<std::string> ids;
    ids.reserve(count);
    for (std::uint64_t k = 0; k < count; ++k) ids.emplace_back(in.take(in.read<std::uint32_t>()));
    return IdMap::from_string_ids(std::move(ids));
  } catch (const std::invalid_argument& error) {
    throw DataError(file, 0, std::string("corrupt cache: ") + error.what());
  }
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

CacheHeader read_header(std::string_view bytes, const std::string& file) {
  const CacheHeader header = read_header_fields(bytes, file);
  const std::uint64_t payload = bytes.size() - sizeof header;
  if (header.payload_bytes != payload) {
    throw DataError(file, 0, "truncated or corrupt cache: header says " + std::to_string(header.payload_bytes) +
                                 " payload bytes, file has " + std::to_string(payload));
  }
  detail::Fnv1a64 checksum;
  checksum.update(bytes.data(), kChecksummedHeaderBytes);
  checksum.update(bytes.data() + sizeof header, payload);
  if (checksum.digest() != header.checksum) throw DataError(file, 0, "corrupt cache: checksum mismatch");
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

  detail::AtomicFileWriter file(path.string());
  detail::Fnv1a64 checksum;
  checksum.update(&header, kChecksummedHeaderBytes);
  file.write(&header, sizeof header);  // placeholder: commit() rewrites it with the checksum
  ChecksummedWriter out{file, checksum};
  out.write(ratings.users.data(), 4 * ratings.size());
  out.write(ratings.items.data(), 4 * ratings.size());
  out.write(ratings.values.data(), 4 * ratings.size());
  write_id_map(out, *ratings.user_ids);
  write_id_map(out, *ratings.item_ids);
  header.checksum = checksum.digest();
  file.commit(&header, sizeof header);
}

Ratings load_ratings_cache(const std::filesystem::path& path) {
  const std::string file = path.string();
  const detail::MappedFile mapped(file);
  const CacheHeader header = read_header(mapped.contents(), file);
  detail::ByteReader in(mapped.contents().substr(sizeof header), file);
  Ratings ratings;
  in.read_array(ratings.users, header.n_ratings);
  in.read_array(ratings.items, header.n_ratings);
  in.read_array(ratings.values, header.n_ratings);
  ratings.user_ids = std::make_shared<const IdMap>(read_id_map(in, header.n_users, header.flags & kUserStringIds, file));
  ratings.item_ids = std::make_shared<const IdMap>(read_id_map(in, header.n_items, header.flags & kItemStringIds, file));
  if (in.remaining() != 0) throw DataError(file, 0, "corrupt cache: trailing bytes after the id maps");
  check_indices(ratings.users, header.n_users, "user", file);
  check_indices(ratings.items, header.n_items, "item", file);
  ratings.min_rating = header.min_rating;
  ratings.max_rating = header.max_rating;
  return ratings;
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
