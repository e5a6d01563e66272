// A Backend runs the engine's primitive ops on one device. The engine's ops (engine/ops.h) check
// shapes and devices, then call these with raw views; a backend only forwards to its kernels
// (kernels::cpu or kernels::cuda), owns the device's allocator and, for CUDA, its stream.
//
// Internal to the engine: it speaks the kernels' types, so it is not installed. The engine's public
// headers reach it only through engine/device.h and engine/device_memory.h; code that deliberately
// measures the engine's internals (bench/training's per-op profile, tests) links `engine_internal`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/device.h"
#include "engine/sparse_matrix.h"
#include "kernels/activation.h"
#include "kernels/bfloat16.h"
#include "kernels/output_layer.h"
#include "kernels/views.h"
#include "kernels/weight_update.h"

namespace engine {

using kernels::CscPattern;
using kernels::CsrPattern;
using ConstMatrix = kernels::MatrixView<const float>;
using MutableMatrix = kernels::MatrixView<float>;
// A bf16 table (`--precision bf16`): the gathering kernels' copy of fp32 weights.
using Bf16Matrix = kernels::MatrixView<const kernels::bfloat16>;

class Backend {
 public:
  virtual ~Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  virtual Device device() const = 0;
  virtual std::string description() const = 0;  // e.g. "cpu (OpenMP, 2 threads)"

  // ---- memory (bytes; pointers are device pointers of this backend) ----
  virtual void* allocate(std::size_t bytes) = 0;
  virtual void deallocate(void* pointer, std::size_t bytes) noexcept = 0;
  virtual void copy_from_host(void* dst, const void* host_src, std::size_t bytes) = 0;
  virtual void copy_to_host(void* host_dst, const void* src, std::size_t bytes) = 0;
  virtual void copy(void* dst, const void* src, std::size_t bytes) = 0;
  virtual void zero(void* dst, std::size_t bytes) = 0;
  virtual void synchronize() = 0;
  virtual MemoryStats memory_stats() const = 0;
  virtual void reset_peak_memory() = 0;

  // ---- compute: the semantics of each op are documented in kernels/cpu.h ----
  virtual void spmm(const CsrPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c, float alpha,
                    float beta) = 0;
  // B a bf16 table: widened per element, fp32 sums.
  virtual void spmm(const CsrPattern& a, const float* a_values, Bf16Matrix b, MutableMatrix c, float alpha,
                    float beta) = 0;
  virtual void spmm_transposed(const CscPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c,
                               float alpha, float beta) = 0;
  virtual void spmm_transposed_update(const CscPattern& a, const float* a_values, ConstMatrix b, float alpha,
                                      MutableMatrix w, const kernels::WeightUpdate& update) = 0;
  virtual void sddmm(const CsrPattern& pattern, ConstMatrix a, ConstMatrix b, float* out) = 0;
  // Adds the batch's sum of squared errors to *loss_sum (device memory, double).
  virtual void sddmm_squared_error(const CsrPattern& pattern, ConstMatrix h, ConstMatrix w, const float* bias,
                                   const float* ratings, kernels::Activation f, float* errors, float* predictions,
                                   double* loss_sum) = 0;
  // The fused output layer forward + backward; adds the squared errors to *loss_sum (device double).
  virtual void sddmm_squared_error_backprop(const kernels::OutputLayerBackprop& layer, double* loss_sum) = 0;
  virtual void gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count,
                           offset_t* out_offsets, index_t* out_indices, float* out_values) = 0;
  virtual void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                          offset_t* scratch) = 0;
  virtual void bias_activation_forward(MutableMatrix z, const float* bias, kernels::Activation g, MutableMatrix h) = 0;
  virtual void activation_backward(ConstMatrix z, ConstMatrix dh, kernels::Activation g, MutableMatrix dz) = 0;
  virtual void dropout(ConstMatrix in, MutableMatrix out, float p, std::uint64_t seed) = 0;
  virtual void dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed) = 0;
  virtual void column_sums(ConstMatrix a, float* out, float alpha, float beta) = 0;
  virtual void row_sums(ConstMatrix a, float* out, float alpha, float beta) = 0;
  virtual void sparse_column_sums(const CscPattern& a, const float* values, float* out, float alpha, float beta) = 0;
  virtual void sparse_row_sums(const CsrPattern& a, const float* values, float* out, float alpha, float beta) = 0;
  // Adds sum x^2 to *result (device memory, double).
  virtual void sum_of_squares(const float* x, std::int64_t n, double* result) = 0;
  virtual void gemm(bool transpose_a, bool transpose_b, float alpha, ConstMatrix a, ConstMatrix b, float beta,
                    MutableMatrix c) = 0;
  virtual void fill(float* x, std::int64_t n, float value) = 0;
  virtual void scale(float* x, std::int64_t n, float alpha) = 0;
  virtual void axpy(float alpha, const float* x, float* y, std::int64_t n) = 0;
  virtual void apply_update(float* params, const float* grads, std::int64_t n,
                            const kernels::WeightUpdate& update) = 0;
  // out[i] = x[i] rounded to bfloat16 (nearest even): (re)builds a bf16 table from its fp32 weights.
  virtual void round_to_bfloat16(const float* x, kernels::bfloat16* out, std::int64_t n) = 0;

  // ---- research ops (not on AutoRec's training path) ----
  // Dense losses: add scale * the sum of their terms to *loss_sum (device double); grad.data may be null.
  virtual void mse_loss(ConstMatrix prediction, ConstMatrix target, float scale, MutableMatrix grad,
                        double* loss_sum) = 0;
  virtual void bce_with_logits_loss(ConstMatrix logits, ConstMatrix target, float scale, MutableMatrix grad,
                                    double* loss_sum) = 0;
  virtual void softmax_cross_entropy_loss(ConstMatrix logits, const index_t* labels, float scale, MutableMatrix grad,
                                          double* loss_sum) = 0;
  // Rows by index: out row r = table row indices[r]; out row indices[r] += alpha * src row r (deterministic).
  virtual void index_select_rows(ConstMatrix table, const index_t* indices, MutableMatrix out) = 0;
  virtual void index_add_rows(ConstMatrix src, const index_t* indices, float alpha, MutableMatrix out) = 0;

 protected:
  Backend() = default;
};

// The backend of a device, created on first use and alive until exit. Throws engine::Error when the
// device is not available (CUDA backend not built, no GPU, ordinal out of range).
Backend& backend_for(Device device);

}  // namespace engine
