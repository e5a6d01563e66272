// Kernel launch under the SIMT emulation: each block's threads run as fibers, blocks one after another
// on the calling OS thread (see scheduler.cpp). kernels::cuda::launch is the public way in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "simt/types.h"

namespace simt {

// Thrown by a launch whose threads can never all pass a barrier: some exited or wait at a different
// __syncthreads or warp collective. The message names the block and what each group of threads waits at.
class DeadlockError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The order in which the scheduler resumes a block's runnable fibers. A race-free kernel gives the
// same result under every order; a racy one may not, which is how tests shake races out.
enum class ScheduleOrder { forward, reverse, random };
struct Schedule {
  ScheduleOrder order = ScheduleOrder::forward;
  std::uint64_t seed = 0;  // random only
};

// Parses "forward", "reverse", "random" or "random:<seed>"; throws std::invalid_argument otherwise.
Schedule parse_schedule(std::string_view text);
// The schedule of later launches on this process; initially SIMT_SCHEDULE's value, or forward.
Schedule current_schedule();
void set_schedule(Schedule schedule);

namespace detail {
// Runs every block of the launch; `run_thread(closure)` is the body of one emulated thread. Returns
// (and records as the last error) a configuration error; throws DeadlockError or the kernel's exception.
cudaError_t launch_blocks(const void* kernel_key, dim3 grid, dim3 block, std::size_t dynamic_shared_bytes,
                          cudaStream_t stream, void (*run_thread)(void* closure), void* closure);

template <typename Kernel>
const void* kernel_key(Kernel kernel) {
  if constexpr (std::is_pointer_v<Kernel> && std::is_function_v<std::remove_pointer_t<Kernel>>) {
    return reinterpret_cast<const void*>(kernel);
  } else {
    return nullptr;  // a lambda or functor: no per-kernel attributes
  }
}
}  // namespace detail

// simt::launch(grid, block, shared_bytes, stream, kernel, args...) = kernel<<<...>>>(args...). Each
// emulated thread calls kernel(args...), so by-value parameters are private per thread, as on a GPU.
template <typename Kernel, typename... Args>
cudaError_t launch(dim3 grid, dim3 block, std::size_t dynamic_shared_bytes, cudaStream_t stream, Kernel kernel,
                   Args&&... args) {
  auto body = [&] { kernel(args...); };
  auto run_thread = [](void* closure) { (*static_cast<decltype(body)*>(closure))(); };
  return detail::launch_blocks(detail::kernel_key(kernel), grid, block, dynamic_shared_bytes, stream, run_thread,
                               &body);
}

}  // namespace simt
