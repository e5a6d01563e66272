// simt::launch: checks the configuration the way cudart does, then runs the grid's blocks one after
// another on the calling OS thread. Also the schedule setting (SIMT_SCHEDULE).
#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "block.h"
#include "simt/launch.h"
#include "runtime_state.h"

namespace simt {
namespace {

std::mutex schedule_mutex;
std::optional<Schedule> configured_schedule;  // empty until first read or set

Schedule schedule_from_environment() {
  const char* text = std::getenv("SIMT_SCHEDULE");
  return text == nullptr || *text == '\0' ? Schedule{} : parse_schedule(text);
}

cudaError_t check_configuration(const void* kernel_key, dim3 grid, dim3 block, std::size_t dynamic_shared_bytes,
                                cudaStream_t stream) {
  const unsigned long long threads = 1ULL * block.x * block.y * block.z;
  if (threads == 0 || threads > 1024 || block.x > 1024 || block.y > 1024 || block.z > 64) {
    return cudaErrorInvalidConfiguration;
  }
  if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.x > 2147483647U || grid.y > 65535 || grid.z > 65535) {
    return cudaErrorInvalidConfiguration;
  }
  if (dynamic_shared_bytes > detail::max_dynamic_shared_bytes(kernel_key)) return cudaErrorInvalidValue;
  if (!detail::is_live_stream(stream)) return cudaErrorInvalidResourceHandle;
  return cudaSuccess;
}

// The launch's dynamic shared memory, reused between launches on this OS thread. Filled with 0xFF
// bytes (NaN as float, -1 as int) so a kernel that reads it before writing gets visibly wrong values.
void* dynamic_shared_buffer(std::size_t bytes) {
  struct alignas(64) CacheLine {
    unsigned char bytes[64];
  };
  thread_local std::vector<CacheLine> buffer;
  if (bytes == 0) return nullptr;
  buffer.resize((bytes + sizeof(CacheLine) - 1) / sizeof(CacheLine));
  for (CacheLine& line : buffer) std::fill(std::begin(line.bytes), std::end(line.bytes), 0xFF);
  return buffer.data();
}

}  // namespace

Schedule parse_schedule(std::string_view text) {
  if (text == "forward") return Schedule{ScheduleOrder::forward, 0};
  if (text == "reverse") return Schedule{ScheduleOrder::reverse, 0};
  if (text == "random") return Schedule{ScheduleOrder::random, 0};
  constexpr std::string_view random_prefix = "random:";
  if (text.substr(0, random_prefix.size()) == random_prefix) {
    const std::string seed(text.substr(random_prefix.size()));
    std::size_t parsed = 0;
    try {
      const unsigned long long value = std::stoull(seed, &parsed);
      if (parsed == seed.size()) return Schedule{ScheduleOrder::random, value};
    } catch (const std::exception&) {
      // fall through to the error below
    }
  }
  throw std::invalid_argument("SIMT_SCHEDULE must be forward, reverse, random or random:<seed>, not '" +
                              std::string(text) + "'");
}

Schedule current_schedule() {
  const std::lock_guard lock(schedule_mutex);
  if (!configured_schedule) configured_schedule = schedule_from_environment();
  return *configured_schedule;
}

void set_schedule(Schedule schedule) {
  const std::lock_guard lock(schedule_mutex);
  configured_schedule = schedule;
}

namespace detail {

cudaError_t launch_blocks(const void* kernel_key, dim3 grid, dim3 block, std::size_t dynamic_shared_bytes,
                          cudaStream_t stream, void (*run_thread)(void*), void* closure) {
  if (running_block != nullptr) {
    throw std::logic_error("SIMT: kernel launched from inside a kernel (dynamic parallelism is not emulated)");
  }
  const cudaError_t configuration = check_configuration(kernel_key, grid, block, dynamic_shared_bytes, stream);
  if (configuration != cudaSuccess) return record_error(configuration);

  Block emulated(grid, block, dynamic_shared_buffer(dynamic_shared_bytes), current_schedule(), run_thread, closure);
  for (unsigned z = 0; z < grid.z; ++z) {
    for (unsigned y = 0; y < grid.y; ++y) {
      for (unsigned x = 0; x < grid.x; ++x) emulated.run(uint3{x, y, z});
    }
  }
  return cudaSuccess;
}

}  // namespace detail
}  // namespace simt
