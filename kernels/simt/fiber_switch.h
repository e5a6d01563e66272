// AddressSanitizer must be told when execution moves to another stack, or it reports false stack
// errors (and mis-handles exceptions) on fiber stacks. Boost.Context's fcontext fibers do not do this
// themselves, so the scheduler brackets every switch with these calls; without ASan they vanish.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define SIMT_ANNOTATE_FIBER_SWITCHES 1
#endif

namespace simt::detail {

struct StackBounds {
  const void* bottom = nullptr;
  std::size_t size = 0;
};

// Before switching to the stack `target`. fake_stack_save == nullptr means "the current fiber ends".
inline void begin_stack_switch([[maybe_unused]] void** fake_stack_save, [[maybe_unused]] StackBounds target) {
#if defined(SIMT_ANNOTATE_FIBER_SWITCHES)
  __sanitizer_start_switch_fiber(fake_stack_save, target.bottom, target.size);
#endif
}

// First thing after arriving on a stack; `previous` receives the bounds of the stack we came from.
inline void end_stack_switch([[maybe_unused]] void* fake_stack_save, [[maybe_unused]] StackBounds* previous) {
#if defined(SIMT_ANNOTATE_FIBER_SWITCHES)
  __sanitizer_finish_switch_fiber(fake_stack_save, previous != nullptr ? &previous->bottom : nullptr,
                                  previous != nullptr ? &previous->size : nullptr);
#endif
}

}  // namespace simt::detail
