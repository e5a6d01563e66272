// backend_for(): one backend per device, created on first use and deliberately never destroyed, so
// that tensors with static storage duration can still free their memory during exit.
#include <map>
#include <mutex>

#include "backend_factories.h"
#include "engine/backend.h"
#include "engine/error.h"

namespace engine {

Backend& backend_for(Device device) {
  if (device.is_cpu()) {
    static Backend* const cpu = detail::make_cpu_backend().release();
    return *cpu;
  }
  static std::mutex mutex;
  static auto* const cuda_backends = new std::map<int, Backend*>();
  const std::lock_guard lock(mutex);
  auto found = cuda_backends->find(device.ordinal);
  if (found == cuda_backends->end()) {
    found = cuda_backends->emplace(device.ordinal, detail::make_cuda_backend(device.ordinal).release()).first;
  }
  return *found->second;
}

bool cuda_available(std::string* reason) {
  std::string why;
  const bool available = detail::probe_cuda(why);
  if (reason != nullptr) *reason = why;
  return available;
}

}  // namespace engine
