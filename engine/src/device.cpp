#include "engine/device.h"

#include <charconv>

#include "engine/error.h"

namespace engine {

std::string to_string(Device device) {
  return device.is_cpu() ? std::string("cpu") : "cuda:" + std::to_string(device.ordinal);
}

Device parse_device(const std::string& text) {
  if (text == "cpu") return Device::cpu();
  if (text == "cuda") return Device::cuda(0);
  const std::string prefix = "cuda:";
  if (text.rfind(prefix, 0) == 0) {
    int ordinal = -1;
    const char* first = text.data() + prefix.size();
    const char* last = text.data() + text.size();
    const auto [end, error] = std::from_chars(first, last, ordinal);
    if (error == std::errc() && end == last && ordinal >= 0) return Device::cuda(ordinal);
  }
  throw Error("unknown device '" + text + "' (expected cpu, cuda or cuda:N)");
}

}  // namespace engine
