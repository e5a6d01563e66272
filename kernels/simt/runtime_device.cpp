// The emulated device (one, "SIMT emulator"), streams, events and kernel attributes. Every operation
// is already complete when its call returns, so synchronisation calls only validate their handle.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "simt/runtime.h"
#include "runtime_state.h"

namespace simt {
struct Stream {
  unsigned flags = 0;
};
struct Event {
  unsigned flags = 0;
  bool recorded = false;
  std::chrono::steady_clock::time_point time;
};
}  // namespace simt

namespace {

using simt::detail::record_error;

constexpr int kEmulatedVersion = 13000;  // reported as both driver and runtime version

struct Handles {
  std::mutex mutex;
  std::unordered_set<const simt::Stream*> streams;
  std::unordered_set<const simt::Event*> events;
  std::unordered_map<const void*, std::size_t> dynamic_shared_limits;  // kernel -> raised limit
};

Handles& handles() {
  static Handles instance;
  return instance;
}

bool is_live_event(const simt::Event* event) {
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  return all.events.count(event) != 0;
}

}  // namespace

namespace simt::detail {

bool is_live_stream(cudaStream_t stream) {
  if (stream == nullptr) return true;
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  return all.streams.count(stream) != 0;
}

std::size_t max_dynamic_shared_bytes(const void* kernel) {
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  const auto found = all.dynamic_shared_limits.find(kernel);
  return found == all.dynamic_shared_limits.end() ? kDefaultDynamicSharedBytes : found->second;
}

cudaError_t set_function_attribute(const void* kernel, cudaFuncAttribute attribute, int value) {
  if (kernel == nullptr) return record_error(cudaErrorInvalidDeviceFunction);
  if (attribute == cudaFuncAttributePreferredSharedMemoryCarveout) {
    return record_error(value >= -1 && value <= 100 ? cudaSuccess : cudaErrorInvalidValue);
  }
  if (attribute != cudaFuncAttributeMaxDynamicSharedMemorySize) return record_error(cudaErrorInvalidValue);
  if (value < 0 || static_cast<std::size_t>(value) > kMaxOptInSharedBytes) return record_error(cudaErrorInvalidValue);
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  all.dynamic_shared_limits[kernel] = std::max(static_cast<std::size_t>(value), kDefaultDynamicSharedBytes);
  return cudaSuccess;
}

}  // namespace simt::detail

// ---- device ----------------------------------------------------------------------------------------
cudaError_t cudaGetDeviceCount(int* count) {
  if (count == nullptr) return record_error(cudaErrorInvalidValue);
  *count = 1;
  return cudaSuccess;
}
cudaError_t cudaSetDevice(int device) { return record_error(device == 0 ? cudaSuccess : cudaErrorInvalidDevice); }
cudaError_t cudaGetDevice(int* device) {
  if (device == nullptr) return record_error(cudaErrorInvalidValue);
  *device = 0;
  return cudaSuccess;
}
cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
cudaError_t cudaDeviceReset() { return cudaSuccess; }
cudaError_t cudaDriverGetVersion(int* version) {
  if (version == nullptr) return record_error(cudaErrorInvalidValue);
  *version = kEmulatedVersion;
  return cudaSuccess;
}
cudaError_t cudaRuntimeGetVersion(int* version) { return cudaDriverGetVersion(version); }

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* properties, int device) {
  if (properties == nullptr) return record_error(cudaErrorInvalidValue);
  if (device != 0) return record_error(cudaErrorInvalidDevice);
  cudaDeviceProp& p = *properties;
  p = cudaDeviceProp{};
  std::strncpy(p.name, "SIMT emulator", sizeof p.name - 1);
  std::size_t free_bytes = 0;
  cudaMemGetInfo(&free_bytes, &p.totalGlobalMem);
  p.sharedMemPerBlock = simt::detail::kDefaultDynamicSharedBytes;
  p.sharedMemPerBlockOptin = simt::detail::kMaxOptInSharedBytes;
  p.sharedMemPerMultiprocessor = 228 * 1024;
  p.totalConstMem = 64 * 1024;
  p.regsPerBlock = 65536;
  p.warpSize = 32;
  p.maxThreadsPerBlock = 1024;
  p.maxThreadsDim[0] = 1024;
  p.maxThreadsDim[1] = 1024;
  p.maxThreadsDim[2] = 64;
  p.maxGridSize[0] = 2147483647;
  p.maxGridSize[1] = 65535;
  p.maxGridSize[2] = 65535;
  p.maxThreadsPerMultiProcessor = 2048;
  p.multiProcessorCount = 1;  // blocks run one at a time
  p.major = 8;
  p.minor = 0;
  p.l2CacheSize = 40 * 1024 * 1024;
  p.memoryBusWidth = 5120;
  p.unifiedAddressing = 1;
  return cudaSuccess;
}

// ---- streams ---------------------------------------------------------------------------------------
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags) {
  if (stream == nullptr) return record_error(cudaErrorInvalidValue);
  *stream = new simt::Stream{flags};
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  all.streams.insert(*stream);
  return cudaSuccess;
}
cudaError_t cudaStreamCreate(cudaStream_t* stream) { return cudaStreamCreateWithFlags(stream, cudaStreamDefault); }

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  if (stream == nullptr || all.streams.erase(stream) == 0) return record_error(cudaErrorInvalidResourceHandle);
  delete stream;
  return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  return record_error(simt::detail::is_live_stream(stream) ? cudaSuccess : cudaErrorInvalidResourceHandle);
}
cudaError_t cudaStreamQuery(cudaStream_t stream) { return cudaStreamSynchronize(stream); }
cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned /*flags*/) {
  const bool valid = simt::detail::is_live_stream(stream) && is_live_event(event);
  return record_error(valid ? cudaSuccess : cudaErrorInvalidResourceHandle);
}

// ---- events ----------------------------------------------------------------------------------------
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned flags) {
  if (event == nullptr) return record_error(cudaErrorInvalidValue);
  *event = new simt::Event{flags, false, {}};
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  all.events.insert(*event);
  return cudaSuccess;
}
cudaError_t cudaEventCreate(cudaEvent_t* event) { return cudaEventCreateWithFlags(event, cudaEventDefault); }

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  if (!is_live_event(event) || !simt::detail::is_live_stream(stream)) {
    return record_error(cudaErrorInvalidResourceHandle);
  }
  event->recorded = true;
  event->time = std::chrono::steady_clock::now();
  return cudaSuccess;
}
cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  return record_error(is_live_event(event) ? cudaSuccess : cudaErrorInvalidResourceHandle);
}
cudaError_t cudaEventQuery(cudaEvent_t event) { return cudaEventSynchronize(event); }

cudaError_t cudaEventElapsedTime(float* milliseconds, cudaEvent_t start, cudaEvent_t end) {
  if (milliseconds == nullptr) return record_error(cudaErrorInvalidValue);
  if (!is_live_event(start) || !is_live_event(end)) return record_error(cudaErrorInvalidResourceHandle);
  const bool timed = ((start->flags | end->flags) & cudaEventDisableTiming) == 0;
  if (!timed || !start->recorded || !end->recorded) return record_error(cudaErrorInvalidResourceHandle);
  *milliseconds = std::chrono::duration<float, std::milli>(end->time - start->time).count();
  return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  Handles& all = handles();
  const std::lock_guard lock(all.mutex);
  if (event == nullptr || all.events.erase(event) == 0) return record_error(cudaErrorInvalidResourceHandle);
  delete event;
  return cudaSuccess;
}
