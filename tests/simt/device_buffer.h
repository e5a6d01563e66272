// A tiny RAII device buffer for the SIMT tests, built on the emulated CUDA runtime API.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/cuda_platform.h"

namespace simt_test {

template <typename T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    KERNELS_CUDA_CHECK(cudaMalloc(&data_, count * sizeof(T)));
    KERNELS_CUDA_CHECK(cudaMemset(data_, 0, count * sizeof(T)));
  }
  explicit DeviceBuffer(const std::vector<T>& values) : DeviceBuffer(values.size()) { upload(values); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() { cudaFree(data_); }

  T* get() const { return data_; }
  std::size_t size() const { return count_; }

  void upload(const std::vector<T>& values) {
    KERNELS_CUDA_CHECK(cudaMemcpy(data_, values.data(), values.size() * sizeof(T), cudaMemcpyHostToDevice));
  }
  std::vector<T> download() const {
    std::vector<T> values(count_);
    KERNELS_CUDA_CHECK(cudaMemcpy(values.data(), data_, count_ * sizeof(T), cudaMemcpyDeviceToHost));
    return values;
  }

 private:
  T* data_ = nullptr;
  std::size_t count_;
};

}  // namespace simt_test
