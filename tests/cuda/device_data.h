// Device-side copies of the test support's host matrices, for the CUDA kernel tests. Allocation and
// copies go through the CUDA runtime API (the SIMT emulator's under KERNELS_SIMT, cudart on a GPU), so
// the kernels see exactly the memory they would see in the engine.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "kernels/cuda_platform.h"
// (after cuda_platform.h, which defines what views.h needs under the emulation)

#include "kernels/views.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"

namespace cudatest {

// The CUDA kernels against their CPU twins. Under the emulation the host compiler builds both from the
// same formulas and contracts no a*b+c, so they agree bit for bit; nvcc fuses multiply-adds (FMA), so
// on a GPU (test_gpu_kernels) they agree to a few units in the last place instead.
#if defined(KERNELS_SIMT)
inline constexpr bool kTwinsBitExact = true;
#else
inline constexpr bool kTwinsBitExact = false;
#endif

inline bool twins_agree(const std::vector<float>& device, const std::vector<float>& host) {
  if (kTwinsBitExact) return device == host;
  if (device.size() != host.size()) return false;
  for (std::size_t i = 0; i < device.size(); ++i) {
    const float a = device[i], b = host[i];
    if (a == b || (std::isnan(a) && std::isnan(b))) continue;
    // 8 ulps of the result, with a floor for results that cancel to near zero (y + a x with y ~ -a x),
    // where one rounding of the unfused product is large against the result. The operands here are O(1).
    const float bound = std::max(8 * FLT_EPSILON * std::max(std::fabs(a), std::fabs(b)), 4 * FLT_EPSILON);
    if (!(std::fabs(a - b) <= bound)) return false;
  }
  return true;
}

// A move-only device array of n elements (plus `slack` unused ones, for misaligned views).
template <class T>
class DeviceArray {
 public:
  DeviceArray() = default;
  explicit DeviceArray(std::size_t n, std::size_t slack = 0) : size_(n) {
    if (n + slack > 0) KERNELS_CUDA_CHECK(cudaMalloc(&data_, (n + slack) * sizeof(T)));
  }
  explicit DeviceArray(const std::vector<T>& host, std::size_t offset = 0) : DeviceArray(host.size(), offset) {
    offset_ = offset;
    upload(host);
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  DeviceArray(DeviceArray&& other) noexcept { swap(other); }
  DeviceArray& operator=(DeviceArray&& other) noexcept {
    swap(other);
    return *this;
  }
  ~DeviceArray() {
    if (data_ != nullptr) cudaFree(data_);
  }

  // The first element; `offset` elements past the allocation's start (to break 16-byte alignment).
  T* data() const { return data_ == nullptr ? nullptr : data_ + offset_; }
  std::size_t size() const { return size_; }

  void upload(const std::vector<T>& host) {
    if (host.empty()) return;
    KERNELS_CUDA_CHECK(cudaMemcpy(data(), host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice));
  }
  std::vector<T> download() const {
    std::vector<T> host(size_);
    if (size_ > 0) KERNELS_CUDA_CHECK(cudaMemcpy(host.data(), data(), size_ * sizeof(T), cudaMemcpyDeviceToHost));
    return host;
  }

 private:
  void swap(DeviceArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(offset_, other.offset_);
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t offset_ = 0;
};

// A HostMatrix mirrored on the device with the same leading dimension (padding included).
class DeviceMatrix {
 public:
  // offset > 0 shifts the data by that many floats: rows then start off their 16-byte boundary.
  explicit DeviceMatrix(const testsupport::HostMatrix& host, std::size_t offset = 0)
      : rows_(host.rows), cols_(host.cols), ld_(host.ld), storage_(host.data, offset) {}

  kernels::MatrixView<float> view() const { return {storage_.data(), rows_, cols_, ld_}; }
  kernels::MatrixView<const float> cview() const { return view(); }
  // The device contents in a copy of `like` (same shape and ld).
  testsupport::HostMatrix download(testsupport::HostMatrix like) const {
    like.data = storage_.download();
    return like;
  }

 private:
  std::int64_t rows_;
  std::int64_t cols_;
  std::int64_t ld_;
  DeviceArray<float> storage_;
};

// A HostCsr (CSR + CSC twin + values) mirrored on the device.
class DeviceSparse {
 public:
  explicit DeviceSparse(const testsupport::HostCsr& host)
      : rows_(host.rows()),
        cols_(host.cols()),
        nnz_(host.nnz()),
        offsets_(host.offsets),
        indices_(host.indices),
        csc_offsets_(host.csc_offsets),
        csc_rows_(host.csc_row_indices),
        csc_positions_(host.csc_positions),
        values(host.values) {}

  kernels::CsrPattern pattern() const { return {rows_, cols_, nnz_, offsets_.data(), indices_.data()}; }
  kernels::CscPattern csc() const {
    return {rows_, cols_, nnz_, csc_offsets_.data(), csc_rows_.data(), csc_positions_.data()};
  }

 private:
  kernels::index_t rows_;
  kernels::index_t cols_;
  kernels::offset_t nnz_;
  DeviceArray<kernels::offset_t> offsets_;
  DeviceArray<kernels::index_t> indices_;
  DeviceArray<kernels::offset_t> csc_offsets_;
  DeviceArray<kernels::index_t> csc_rows_;
  DeviceArray<kernels::offset_t> csc_positions_;

 public:
  DeviceArray<float> values;  // CSR-ordered
};

// A device double holding `initial`, for the kernels that add a sum to one.
inline DeviceArray<double> device_scalar(double initial) { return DeviceArray<double>(std::vector<double>{initial}); }
inline double read_scalar(const DeviceArray<double>& scalar) { return scalar.download().at(0); }

}  // namespace cudatest
