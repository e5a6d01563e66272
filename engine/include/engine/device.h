// Where memory lives and ops run.
#pragma once

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

}  // namespace engine
