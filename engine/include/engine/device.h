// Where memory lives and ops run.
#pragma once

#include <cstddef>
#include <string>

namespace engine {

enum class DeviceKind { Cpu, Cuda };

struct Device {
  DeviceKind kind = DeviceKind::Cpu;
  int ordinal = 0;

  static Device cpu() { return {DeviceKind::Cpu, 0}; }
  static Device cuda(int ordinal = 0) { return {DeviceKind::Cuda, ordinal}; }
  bool is_cpu() const { return kind == DeviceKind::Cpu; }
  bool operator==(const Device&) const = default;
};

std::string to_string(Device device);  // "cpu", "cuda:0"
// Parses "cpu", "cuda", "cuda:N"; throws engine::Error naming the text otherwise.
Device parse_device(const std::string& text);

// Whether a CUDA device can be used: the CUDA backend is built, a driver is present and a context can
// be created. `reason` (if given) receives why not.
bool cuda_available(std::string* reason = nullptr);

// What runs the device's ops, e.g. "cpu (OpenMP, 2 threads)" or the GPU's name and memory. Creates the
// device's backend on first use; throws engine::Error when the device is not available (CUDA backend
// not built, no GPU, ordinal out of range).
std::string device_description(Device device);

struct MemoryStats {
  std::size_t current_bytes = 0;  // live allocations made through the engine
  std::size_t peak_bytes = 0;     // high-water mark since start (or the last reset)
};
// Memory the engine holds on the device (engine/cuda.h has the CUDA allocator's own statistics).
MemoryStats memory_stats(Device device);
void reset_peak_memory(Device device);  // lowers the peak to what is live
// Waits until the device has finished all work the engine queued on it.
void synchronize(Device device);

}  // namespace engine
