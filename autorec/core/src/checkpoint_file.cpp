// The checkpoint file: header + payload, checksummed, written atomically.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "autorec/checkpoint.h"
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

std::string system_error(const std::string& what) { return what + ": " + std::strerror(errno); }

void write_all(int fd, const char* data, std::size_t size, const std::filesystem::path& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;  // Ctrl-C during a save must not lose the save
    if (written <= 0) throw CheckpointError(path, system_error("cannot write"));
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

// Makes the rename itself durable (POSIX: the directory entry lives in the folder).
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;  // best effort: the data itself is already on disk
  ::fsync(fd);
  ::close(fd);
}

// Writes header and payload to a temp file beside `path`, syncs it and renames it over `path`.
void write_atomically(const std::filesystem::path& path, const FileHeader& header, const std::string& payload) {
  const std::filesystem::path temp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw CheckpointError(path, system_error("cannot create " + temp.string()));
  try {
    write_all(fd, reinterpret_cast<const char*>(&header), sizeof header, path);
    write_all(fd, payload.data(), payload.size(), path);
    if (::fsync(fd) != 0) throw CheckpointError(path, system_error("cannot sync"));
    if (::close(fd) != 0) throw CheckpointError(path, system_error("cannot close"));
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = system_error("cannot rename " + temp.string());
    ::unlink(temp.c_str());
    throw CheckpointError(path, reason);
  }
  sync_folder(path.parent_path());
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

void save_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint) {
  const std::string payload = detail::encode_checkpoint_payload(checkpoint);
  FileHeader header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kCheckpointVersion;
  header.payload_bytes = payload.size();
  header.checksum = fnv1a64(payload);
  write_atomically(path, header, payload);
}

void check_checkpoint_destination(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ignored;
  if (fs::is_directory(path, ignored)) throw CheckpointError(path, "is a folder, not a checkpoint file");
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(folder, ignored)) throw CheckpointError(path, "the folder " + folder.string() + " does not exist");
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw CheckpointError(path, system_error("cannot write into the folder " + folder.string()));
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
