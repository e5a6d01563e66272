#include <algorithm>
#include <utility>

#include "kernels/vendor.h"

namespace kernels::vendor {

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), capacity_(std::exchange(other.capacity_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
  DeviceBuffer moved(std::move(other));
  std::swap(data_, moved.data_);
  std::swap(capacity_, moved.capacity_);
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  if (data_ != nullptr) static_cast<void>(cudaFree(data_));
}

void* DeviceBuffer::reserve(std::size_t bytes) {
  if (bytes <= capacity_ && data_ != nullptr) return data_;
  // cudaFree waits for the device, so work still reading the old buffer finishes first.
  if (data_ != nullptr) KERNELS_CUDA_CHECK(cudaFree(data_));
  data_ = nullptr;
  capacity_ = 0;
  const std::size_t rounded = std::max<std::size_t>(bytes, 256);
  KERNELS_CUDA_CHECK(cudaMalloc(&data_, rounded));
  capacity_ = rounded;
  return data_;
}

}  // namespace kernels::vendor
