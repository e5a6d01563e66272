// DeviceArray<T>: a move-only, owning array of n trivially copyable T on one device. The destructor
// never throws. Transfers to and from the host are explicit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/device.h"
#include "engine/device_memory.h"
#include "engine/error.h"

namespace engine {

template <class T>
class DeviceArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  DeviceArray() = default;
  DeviceArray(std::int64_t size, Device device) : device_(device), size_(size) {
    ENGINE_REQUIRE(size >= 0, "DeviceArray: negative size ", size);
    if (size > 0) data_ = static_cast<T*>(device_memory::allocate(device, bytes()));
  }
  static DeviceArray zeros(std::int64_t size, Device device) {
    DeviceArray array(size, device);
    if (size > 0) device_memory::zero(device, array.data_, array.bytes());
    return array;
  }
  static DeviceArray from_host(std::span<const T> host, Device device) {
    DeviceArray array(static_cast<std::int64_t>(host.size()), device);
    if (!host.empty()) device_memory::copy_from_host(device, array.data_, host.data(), array.bytes());
    return array;
  }

  DeviceArray(DeviceArray&& other) noexcept { swap(other); }
  DeviceArray& operator=(DeviceArray&& other) noexcept {
    DeviceArray(std::move(other)).swap(*this);
    return *this;
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  ~DeviceArray() {
    if (data_ != nullptr) device_memory::deallocate(device_, data_, bytes());
  }

  // A copy on another (or the same) device.
  DeviceArray to(Device device) const {
    if (device == device_) {
      DeviceArray copy(size_, device);
      if (size_ > 0) device_memory::copy(device, copy.data_, data_, bytes());
      return copy;
    }
    return from_host(std::span<const T>(to_host()), device);
  }
  std::vector<T> to_host() const {
    std::vector<T> host(static_cast<std::size_t>(size_));
    if (size_ > 0) device_memory::copy_to_host(device_, host.data(), data_, bytes());
    return host;
  }
  // The first `count` elements (count <= size()).
  std::vector<T> to_host(std::int64_t count) const {
    ENGINE_REQUIRE(count >= 0 && count <= size_, "DeviceArray::to_host: ", count, " elements of an array of ", size_);
    std::vector<T> host(static_cast<std::size_t>(count));
    if (count > 0) {
      device_memory::copy_to_host(device_, host.data(), data_, static_cast<std::size_t>(count) * sizeof(T));
    }
    return host;
  }
  void copy_from_host(std::span<const T> host) {
    ENGINE_REQUIRE(static_cast<std::int64_t>(host.size()) == size_, "DeviceArray::copy_from_host: ", host.size(),
                 " elements into an array of ", size_);
    if (size_ > 0) device_memory::copy_from_host(device_, data_, host.data(), bytes());
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t bytes() const { return static_cast<std::size_t>(size_) * sizeof(T); }
  Device device() const { return device_; }

  void swap(DeviceArray& other) noexcept {
    std::swap(device_, other.device_);
    std::swap(size_, other.size_);
    std::swap(data_, other.data_);
  }

 private:
  Device device_ = Device::cpu();
  std::int64_t size_ = 0;
  T* data_ = nullptr;
};

}  // namespace engine
