// The checkpoint file: header + payload, checksummed, written atomically.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "autorec/checkpoint.h"
#include "autorec/data/atomic_file.h"
#include "checkpoint_payload.h"
#include "engine/error.h"

namespace autorec {
namespace {

constexpr char kMagic[8] = {'A', 'R', 'C', 'K', 'P', 'T', '\r', '\n'};  // \r\n catches text-mode mangling

struct FileHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t reserved;
  std::uint64_t payload_bytes;
  std::uint64_t checksum;
};
static_assert(sizeof(FileHeader) == 32, "the header layout is part of the file format");

// FNV-1a, 64-bit, byte by byte: checkpoints are written once per epoch, so simplicity wins over speed.
std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string read_file(const std::filesystem::path& path) {
  std::error_code status_error;
  const auto status = std::filesystem::status(path, status_error);
  if (std::filesystem::is_directory(status)) throw CheckpointError(path, "is a folder, not a checkpoint file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CheckpointError(path, "cannot open (" + std::string(std::strerror(errno)) + ")");
  if (!std::filesystem::is_regular_file(status)) throw CheckpointError(path, "not a regular file");
  try {
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw CheckpointError(path, "read error");
    return bytes;
  } catch (const std::ios_base::failure& error) {  // libstdc++ reports some read errors this way
    throw CheckpointError(path, std::string("read error: ") + error.what());
  }
}

FileHeader check_header(const std::string& bytes, const std::filesystem::path& path) {
  FileHeader header{};
  if (bytes.size() < sizeof header) {
    throw CheckpointError(path, "truncated checkpoint: " + std::to_string(bytes.size()) +
                                    " bytes, the header alone is " + std::to_string(sizeof header));
  }
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0) throw CheckpointError(path, "not an autorec checkpoint");
  if (header.version < kOldestReadableCheckpointVersion || header.version > kCheckpointVersion) {
    throw CheckpointError(path, "checkpoint version " + std::to_string(header.version) + ", this build reads versions " +
                                    std::to_string(kOldestReadableCheckpointVersion) + " to " +
                                    std::to_string(kCheckpointVersion));
  }
  const std::uint64_t payload = bytes.size() - sizeof header;
  if (header.payload_bytes != payload) {
    throw CheckpointError(path, "truncated or corrupt checkpoint: the header says " +
                                    std::to_string(header.payload_bytes) + " payload bytes, the file has " +
                                    std::to_string(payload));
  }
  return header;
}

}  // namespace

// Here, not in checkpoint.cpp, so that the file format (and its fuzz target) needs no engine code.
CheckpointError::CheckpointError(const std::filesystem::path& file, const std::string& reason)
    : std::runtime_error(file.string() + ": " + reason), file_(file) {}

void save_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint) {
  const std::string payload = detail::encode_checkpoint_payload(checkpoint);
  FileHeader header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kCheckpointVersion;
  header.payload_bytes = payload.size();
  header.checksum = fnv1a64(payload);
  AtomicFile file(path);
  file.write(&header, sizeof header);
  file.write(payload);
  file.commit();
}

void check_checkpoint_destination(const std::filesystem::path& path) {
  try {
    check_destination(path);
  } catch (const WriteError& error) {
    throw CheckpointError(path, error.what());
  }
}

Checkpoint load_checkpoint(const std::filesystem::path& path) {
  std::string bytes = read_file(path);
  const FileHeader header = check_header(bytes, path);
  bytes.erase(0, sizeof header);
  if (fnv1a64(bytes) != header.checksum) throw CheckpointError(path, "corrupt checkpoint: checksum mismatch");
  try {
    return detail::decode_checkpoint_payload(bytes, header.version);
  } catch (const std::exception& error) {  // only reachable through a bug or a forged checksum
    throw CheckpointError(path, std::string("corrupt checkpoint: ") + error.what());
  }
}

}  // namespace autorec
