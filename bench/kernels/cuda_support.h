// CUDA plumbing for bench_kernels (real CUDA builds only): owned device arrays, event timing on a
// stream, the device-copy bandwidth that results are compared with, and GPU detection.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "kernels/cuda_platform.h"

namespace bench {

// Whether a GPU can run work: driver present, a device, a context. `why` says what is missing.
bool gpu_available(std::string* why);
std::string gpu_name();

// A move-only device array; the destructor never throws.
template <class T>
class DeviceArray {
 public:
  DeviceArray() = default;
  explicit DeviceArray(std::size_t n) : size_(n) {
    if (n > 0) KERNELS_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), n * sizeof(T)));
  }
  explicit DeviceArray(const std::vector<T>& host) : DeviceArray(host.size()) { upload(host); }
  DeviceArray(DeviceArray&& other) noexcept : data_(other.data_), size_(other.size_) { other.data_ = nullptr; }
  DeviceArray& operator=(DeviceArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  ~DeviceArray() {
    if (data_ != nullptr) cudaFree(data_);
  }

  T* data() const { return data_; }
  std::size_t size() const { return size_; }
  // The benchmarks compute on a non-blocking stream, which a (legacy default stream) cudaMemcpy is not
  // ordered against: a pageable upload may still be in flight when it returns, and a download would
  // not wait for the kernels writing the array. Hence the device-wide synchronisations.
  void upload(const std::vector<T>& host) {
    KERNELS_CUDA_CHECK(cudaMemcpy(data_, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice));
    KERNELS_CUDA_CHECK(cudaDeviceSynchronize());
  }
  std::vector<T> download() const {
    std::vector<T> host(size_);
    KERNELS_CUDA_CHECK(cudaDeviceSynchronize());
    KERNELS_CUDA_CHECK(cudaMemcpy(host.data(), data_, size_ * sizeof(T), cudaMemcpyDeviceToHost));
    return host;
  }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

// Per-call milliseconds from events recorded around each call on `stream` (warm-up calls untimed);
// fn(i) receives a running call counter for input rotation.
std::vector<double> time_device_ms(cudaStream_t stream, int warmup, int repeats, const std::function<void(int)>& fn);

// GB/s of a device-to-device cudaMemcpy of a `bytes` buffer (read + write counted), median of repeats.
double device_copy_gbytes_per_s(cudaStream_t stream, std::size_t bytes);

}  // namespace bench
