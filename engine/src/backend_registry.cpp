// backend_for(): one backend per device, created on first use and deliberately never destroyed, so
// that tensors with static storage duration can still free their memory during exit. The public
// device functions (engine/device.h, engine/device_memory.h) forward to it.
#include <map>
#include <mutex>

#include "backend_factories.h"
#include "engine/internal/backend.h"
#include "engine/device.h"
#include "engine/device_memory.h"
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

std::string device_description(Device device) { return backend_for(device).description(); }
MemoryStats memory_stats(Device device) { return backend_for(device).memory_stats(); }
void reset_peak_memory(Device device) { backend_for(device).reset_peak_memory(); }
void synchronize(Device device) { backend_for(device).synchronize(); }

namespace device_memory {

void* allocate(Device device, std::size_t bytes) { return backend_for(device).allocate(bytes); }
void deallocate(Device device, void* pointer, std::size_t bytes) noexcept {
  backend_for(device).deallocate(pointer, bytes);
}
void copy_from_host(Device device, void* dst, const void* host_src, std::size_t bytes) {
  backend_for(device).copy_from_host(dst, host_src, bytes);
}
void copy_to_host(Device device, void* host_dst, const void* src, std::size_t bytes) {
  backend_for(device).copy_to_host(host_dst, src, bytes);
}
void copy(Device device, void* dst, const void* src, std::size_t bytes) { backend_for(device).copy(dst, src, bytes); }
void zero(Device device, void* dst, std::size_t bytes) { backend_for(device).zero(dst, bytes); }

}  // namespace device_memory

}  // namespace engine
