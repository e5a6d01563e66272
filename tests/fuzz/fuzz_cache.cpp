// The ratings cache reader: any bytes load or give a DataError. Each input is tried twice: as is
// (most mutations then fail the checksum) and with its checksum recomputed, so that forged counts,
// lengths and indices reach the structural checks behind it.
#include <cstring>

#include "autorec/data/cache.h"
#include "autorec/data/error.h"
#include "cache_io.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  for (int forged = 0; forged < 2; ++forged) {
    if (forged == 1) {
      if (bytes.size() < 72) return 0;
      autorec::detail::Fnv1a64 checksum;
      checksum.update(bytes.data(), 64);
      checksum.update(bytes.data() + 72, bytes.size() - 72);
      const std::uint64_t digest = checksum.digest();
      std::memcpy(bytes.data() + 64, &digest, 8);
    }
    const std::string path =
        autorec::fuzz::input_file(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    try {
      autorec::ratings_cache_fingerprint(path);
      autorec::load_ratings_cache(path);
    } catch (const autorec::DataError&) {
    }
  }
  return 0;
}
