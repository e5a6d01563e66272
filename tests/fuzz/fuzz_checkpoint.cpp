// The checkpoint reader: any file loads or gives a CheckpointError. The payload decoder is also fed
// the bytes after the 32-byte header directly (as a forged checksum would let them through);
// load_checkpoint turns what it throws into a CheckpointError, so any std::exception is allowed
// there, but not a crash, a hang or an allocation the input's size does not justify.
#include "autorec/checkpoint.h"
#include "checkpoint_payload.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    autorec::load_checkpoint(autorec::fuzz::input_file(data, size));
  } catch (const autorec::CheckpointError&) {
  }
  if (size > 32) {
    const std::string payload(reinterpret_cast<const char*>(data) + 32, size - 32);
    // Every version the reader accepts: the current one and the older layouts it still decodes.
    for (std::uint32_t version = autorec::kOldestReadableCheckpointVersion; version <= autorec::kCheckpointVersion;
         ++version) {
      try {
        autorec::detail::decode_checkpoint_payload(payload, version);
      } catch (const std::exception&) {
      }
    }
  }
  return 0;
}
