#include "stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <new>

namespace simt::detail {
namespace {

constexpr std::size_t kColourStepBytes = 128;
constexpr unsigned kColours = 32;  // 32 x 128 bytes spans a 4 KiB page, i.e. every L1 set

std::size_t page_bytes() {
  static const std::size_t bytes = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return bytes;
}

std::size_t mapping_bytes() { return page_bytes() + kFiberStackBytes; }

// The mapping a stack lives in: its top is mapping + mapping_bytes() - colour, colour < one page.
void* mapping_of(const boost::context::stack_context& stack) {
  const auto lowest = reinterpret_cast<std::uintptr_t>(stack.sp) - mapping_bytes();
  const std::uintptr_t page = page_bytes();
  return reinterpret_cast<void*>((lowest + page - 1) / page * page);
}

}  // namespace

StackPool::~StackPool() {
  for (const boost::context::stack_context& stack : free_stacks_) munmap(mapping_of(stack), mapping_bytes());
}

boost::context::stack_context StackPool::take() {
  if (!free_stacks_.empty()) {
    const boost::context::stack_context stack = free_stacks_.back();
    free_stacks_.pop_back();
    return stack;
  }
  void* mapping = mmap(nullptr, mapping_bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) throw std::bad_alloc();
  mprotect(mapping, page_bytes(), PROT_NONE);  // stacks grow down: the guard sits at the low end
  const std::size_t colour = (mapped_++ % kColours) * kColourStepBytes;
  boost::context::stack_context stack;
  stack.size = kFiberStackBytes - colour;
  stack.sp = static_cast<char*>(mapping) + mapping_bytes() - colour;  // the top
  return stack;
}

void StackPool::give_back(boost::context::stack_context stack) noexcept {
  try {
    free_stacks_.push_back(stack);
  } catch (...) {
    munmap(mapping_of(stack), mapping_bytes());
  }
}

}  // namespace simt::detail
