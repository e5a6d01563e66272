// Raw memory on a device, in bytes: what DeviceArray is built on, for code that manages its own
// buffers. Pointers are device pointers of `device` (host pointers for the CPU). Each call goes to the
// device's backend (created on first use); an unavailable device throws engine::Error.
#pragma once

#include <cstddef>

#include "engine/device.h"

namespace engine::device_memory {

void* allocate(Device device, std::size_t bytes);
void deallocate(Device device, void* pointer, std::size_t bytes) noexcept;
void copy_from_host(Device device, void* dst, const void* host_src, std::size_t bytes);
void copy_to_host(Device device, void* host_dst, const void* src, std::size_t bytes);
void copy(Device device, void* dst, const void* src, std::size_t bytes);  // within the device
void zero(Device device, void* dst, std::size_t bytes);

}  // namespace engine::device_memory
