#include "interrupt.h"

#include <csignal>

namespace autorec::cli {
namespace {

// Lock-free atomics are the only shared state a signal handler may touch.
std::atomic<bool> interrupt_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt(int) {
  interrupt_requested.store(true);
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

const std::atomic<bool>& install_interrupt_handler() {
  std::signal(SIGINT, on_interrupt);
  return interrupt_requested;
}

}  // namespace autorec::cli
