// CudaBackend: the engine's ops on one CUDA device (or on the SIMT emulation of one, when compiled
// with KERNELS_SIMT). One non-blocking stream per backend carries every kernel, copy, memset and
// vendor-library call, in order; memory comes from a CachingAllocator; failures throw
// (kernels::CudaError from the runtime, kernels::Error from kernel preconditions).
#pragma once

// Include order matters under KERNELS_SIMT: the emulator's qualifier macros (__noinline__ among
// them) break standard headers included after it, and kernels/views.h needs its __host__/__device__.
// So: every standard header first, then the platform, then the engine headers.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "kernels/cuda_platform.h"
// (the platform must stay above the engine headers)
#include "backend_factories.h"
#include "caching_allocator.h"

#if defined(ENGINE_HAVE_VENDOR_KERNELS)
#include "kernels/vendor.h"
#endif

namespace engine::detail {

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int ordinal);
  ~CudaBackend() override;

  Device device() const override { return Device::cuda(ordinal_); }
  std::string description() const override { return description_; }

  void* allocate(std::size_t bytes) override;
  void deallocate(void* pointer, std::size_t bytes) noexcept override;
  void copy_from_host(void* dst, const void* host_src, std::size_t bytes) override;
  void copy_to_host(void* host_dst, const void* src, std::size_t bytes) override;
  void copy(void* dst, const void* src, std::size_t bytes) override;
  void zero(void* dst, std::size_t bytes) override;
  void synchronize() override;
  MemoryStats memory_stats() const override;
  void reset_peak_memory() override;

  CudaMemoryStats allocator_stats() const { return allocator_.stats(); }
  void release_cached_memory();

  void spmm(const CsrPattern& a, const float* a_values, Bf16Matrix b, MutableMatrix c, float alpha,
            float beta) override;
  void spmm(const CsrPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c, float alpha,
            float beta) override;
  void spmm_transposed(const CscPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c, float alpha,
                       float beta) override;
  void spmm_transposed_update(const CscPattern& a, const float* a_values, ConstMatrix b, float alpha, MutableMatrix w,
                              const kernels::WeightUpdate& update) override;
  void sddmm(const CsrPattern& pattern, ConstMatrix a, ConstMatrix b, float* out) override;
  void sddmm_squared_error(const CsrPattern& pattern, ConstMatrix h, ConstMatrix w, const float* bias,
                           const float* ratings, kernels::Activation f, float* errors, float* predictions,
                           double* loss_sum) override;
  void sddmm_squared_error_backprop(const kernels::OutputLayerBackprop& layer, double* loss_sum) override;
  void gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count, offset_t* out_offsets,
                   index_t* out_indices, float* out_values) override;
  void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                  offset_t* scratch) override;
  void bias_activation_forward(MutableMatrix z, const float* bias, kernels::Activation g, MutableMatrix h) override;
  void activation_backward(ConstMatrix z, ConstMatrix dh, kernels::Activation g, MutableMatrix dz) override;
  void dropout(ConstMatrix in, MutableMatrix out, float p, std::uint64_t seed) override;
  void dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed) override;
  void column_sums(ConstMatrix a, float* out, float alpha, float beta) override;
  void row_sums(ConstMatrix a, float* out, float alpha, float beta) override;
  void sparse_column_sums(const CscPattern& a, const float* values, float* out, float alpha, float beta) override;
  void sparse_row_sums(const CsrPattern& a, const float* values, float* out, float alpha, float beta) override;
  void sum_of_squares(const float* x, std::int64_t n, double* result) override;
  void gemm(bool transpose_a, bool transpose_b, float alpha, ConstMatrix a, ConstMatrix b, float beta,
            MutableMatrix c) override;
  void fill(float* x, std::int64_t n, float value) override;
  void scale(float* x, std::int64_t n, float alpha) override;
  void axpy(float alpha, const float* x, float* y, std::int64_t n) override;
  void round_to_bfloat16(const float* x, kernels::bfloat16* out, std::int64_t n) override;
  void apply_update(float* params, const float* grads, std::int64_t n, const kernels::WeightUpdate& update) override;
  void mse_loss(ConstMatrix prediction, ConstMatrix target, float scale, MutableMatrix grad, double* loss_sum) override;
  void bce_with_logits_loss(ConstMatrix logits, ConstMatrix target, float scale, MutableMatrix grad,
                            double* loss_sum) override;
  void softmax_cross_entropy_loss(ConstMatrix logits, const index_t* labels, float scale, MutableMatrix grad,
                                  double* loss_sum) override;
  void index_select_rows(ConstMatrix table, const index_t* indices, MutableMatrix out) override;
  void index_add_rows(ConstMatrix src, const index_t* indices, float alpha, MutableMatrix out) override;

 private:
  template <class TB>
  void split_spmm(const CsrPattern& a, const float* a_values, kernels::MatrixView<const TB> b, MutableMatrix c,
                  float alpha, float beta);
  // Makes this backend's device current for the calling thread and returns its stream: every
  // runtime call goes through here, so several devices can be used from one thread.
  cudaStream_t stream();

#if defined(ENGINE_HAVE_VENDOR_KERNELS)
  // The vendor context when the process-wide selection asks for vendor kernels, else nullptr.
  kernels::vendor::Context* vendor_if_selected();
  std::unique_ptr<kernels::vendor::Context> vendor_;  // created on first use (handles need a driver)
#endif

  int ordinal_;
  std::string description_;
  cudaStream_t stream_ = nullptr;
  CachingAllocator allocator_;
};

// A device's name and resources for description(), e.g. "cuda:0 (NVIDIA H100 80GB HBM3, sm_90, 132 SMs, 79.1 GiB)".
std::string describe_cuda_device(int ordinal);

}  // namespace engine::detail
