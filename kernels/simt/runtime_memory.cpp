// Emulated device memory: host allocations that the runtime tracks, so that copies and memsets can
// check that their device-side range lies inside one live allocation (a real GPU would fault or
// return an error; the emulator reports cudaErrorInvalidValue instead of corrupting the heap).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "simt/runtime.h"
#include "runtime_state.h"

namespace {

constexpr std::size_t kAllocationAlignment = 256;  // what cudaMalloc guarantees
constexpr std::size_t kEmulatedMemoryBytes = std::size_t{16} << 30;

struct Allocations {
  std::mutex mutex;
  std::map<std::uintptr_t, std::size_t> device;  // start address -> bytes
  std::map<std::uintptr_t, std::size_t> pinned_host;
  std::size_t device_bytes = 0;
};

Allocations& allocations() {
  static Allocations instance;
  return instance;
}

// True when [pointer, pointer + bytes) lies inside one allocation of `table`.
bool inside(const std::map<std::uintptr_t, std::size_t>& table, const void* pointer, std::size_t bytes) {
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  auto next = table.upper_bound(address);
  if (next == table.begin()) return false;
  const auto& [start, size] = *std::prev(next);
  return address - start <= size && bytes <= size - (address - start);
}

bool is_device_range(const void* pointer, std::size_t bytes) {
  Allocations& all = allocations();
  const std::lock_guard lock(all.mutex);
  return inside(all.device, pointer, bytes);
}

cudaError_t allocate(void** pointer, std::size_t bytes, bool device) {
  if (pointer == nullptr) return cudaErrorInvalidValue;
  *pointer = nullptr;
  if (bytes == 0) return cudaSuccess;
  Allocations& all = allocations();
  const std::lock_guard lock(all.mutex);
  if (device && bytes > kEmulatedMemoryBytes - all.device_bytes) return cudaErrorMemoryAllocation;
  const std::size_t rounded = (bytes + kAllocationAlignment - 1) / kAllocationAlignment * kAllocationAlignment;
  void* memory = std::aligned_alloc(kAllocationAlignment, rounded);
  if (memory == nullptr) return cudaErrorMemoryAllocation;
  (device ? all.device : all.pinned_host)[reinterpret_cast<std::uintptr_t>(memory)] = bytes;
  if (device) all.device_bytes += bytes;
  *pointer = memory;
  return cudaSuccess;
}

cudaError_t release(void* pointer, bool device) {
  if (pointer == nullptr) return cudaSuccess;
  Allocations& all = allocations();
  const std::lock_guard lock(all.mutex);
  auto& table = device ? all.device : all.pinned_host;
  const auto found = table.find(reinterpret_cast<std::uintptr_t>(pointer));
  if (found == table.end()) return cudaErrorInvalidValue;
  if (device) all.device_bytes -= found->second;
  table.erase(found);
  std::free(pointer);
  return cudaSuccess;
}

cudaError_t copy(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind) {
  if (kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault) return cudaErrorInvalidMemcpyDirection;
  if (bytes == 0) return cudaSuccess;
  if (destination == nullptr || source == nullptr) return cudaErrorInvalidValue;
  const bool device_destination = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
  const bool device_source = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
  if (device_destination && !is_device_range(destination, bytes)) return cudaErrorInvalidValue;
  if (device_source && !is_device_range(source, bytes)) return cudaErrorInvalidValue;
  std::memmove(destination, source, bytes);
  return cudaSuccess;
}

cudaError_t fill(void* pointer, int value, std::size_t bytes) {
  if (bytes == 0) return cudaSuccess;
  if (!is_device_range(pointer, bytes)) return cudaErrorInvalidValue;
  std::memset(pointer, value, bytes);
  return cudaSuccess;
}

std::size_t device_bytes_in_use() {
  Allocations& all = allocations();
  const std::lock_guard lock(all.mutex);
  return all.device_bytes;
}

}  // namespace

using simt::detail::record_error;

cudaError_t cudaMalloc(void** pointer, std::size_t bytes) { return record_error(allocate(pointer, bytes, true)); }
cudaError_t cudaFree(void* pointer) { return record_error(release(pointer, true)); }
cudaError_t cudaMallocHost(void** pointer, std::size_t bytes) { return record_error(allocate(pointer, bytes, false)); }
cudaError_t cudaHostAlloc(void** pointer, std::size_t bytes, unsigned /*flags*/) {
  return record_error(allocate(pointer, bytes, false));
}
cudaError_t cudaFreeHost(void* pointer) { return record_error(release(pointer, false)); }

cudaError_t cudaMemcpy(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind) {
  return record_error(copy(destination, source, bytes, kind));
}
cudaError_t cudaMemcpyAsync(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream) {
  if (!simt::detail::is_live_stream(stream)) return record_error(cudaErrorInvalidResourceHandle);
  return record_error(copy(destination, source, bytes, kind));
}
cudaError_t cudaMemset(void* pointer, int value, std::size_t bytes) { return record_error(fill(pointer, value, bytes)); }
cudaError_t cudaMemsetAsync(void* pointer, int value, std::size_t bytes, cudaStream_t stream) {
  if (!simt::detail::is_live_stream(stream)) return record_error(cudaErrorInvalidResourceHandle);
  return record_error(fill(pointer, value, bytes));
}

cudaError_t cudaMemGetInfo(std::size_t* free_bytes, std::size_t* total_bytes) {
  if (free_bytes == nullptr || total_bytes == nullptr) return record_error(cudaErrorInvalidValue);
  *total_bytes = kEmulatedMemoryBytes;
  *free_bytes = kEmulatedMemoryBytes - device_bytes_in_use();
  return cudaSuccess;
}
