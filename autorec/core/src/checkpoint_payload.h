// The checkpoint payload: the records between the file header and the end of the file, in order.
// Kept apart from the file handling (checkpoint_file.cpp) so each part reads on its own.
#pragma once

#include <cstdint>
#include <string>

#include "autorec/checkpoint.h"

namespace autorec::detail {

// Serialises everything but the header.
std::string encode_checkpoint_payload(const Checkpoint& checkpoint);
// Parses a payload of file version `version` whose checksum has been verified; throws
// std::runtime_error (or engine::Error) saying what record was being read when it is short or
// inconsistent.
Checkpoint decode_checkpoint_payload(const std::string& payload, std::uint32_t version);

}  // namespace autorec::detail
