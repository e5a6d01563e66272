// The CPU backend: host memory (64-byte aligned, counted) and kernels::cpu.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "backend_factories.h"
#include "engine/error.h"
#include "kernels/cpu.h"

namespace engine::detail {
namespace {

constexpr std::size_t kAlignment = 64;  // a cache line; also what AVX-512 loads like

class CpuBackend final : public Backend {
 public:
  Device device() const override { return Device::cpu(); }
  std::string description() const override {
    return "cpu (OpenMP, " + std::to_string(omp_get_max_threads()) + " threads)";
  }

  void* allocate(std::size_t bytes) override {
    const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    void* pointer = std::aligned_alloc(kAlignment, std::max(rounded, kAlignment));
    ENGINE_CHECK(pointer != nullptr, "cpu: out of memory allocating ", bytes, " bytes");
    const std::size_t now = current_.fetch_add(bytes) + bytes;
    std::size_t peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
    return pointer;
  }
  void deallocate(void* pointer, std::size_t bytes) noexcept override {
    std::free(pointer);
    current_.fetch_sub(bytes);
  }
  void copy_from_host(void* dst, const void* src, std::size_t bytes) override { std::memcpy(dst, src, bytes); }
  void copy_to_host(void* dst, const void* src, std::size_t bytes) override { std::memcpy(dst, src, bytes); }
  void copy(void* dst, const void* src, std::size_t bytes) override { std::memmove(dst, src, bytes); }
  void zero(void* dst, std::size_t bytes) override { std::memset(dst, 0, bytes); }
  void synchronize() override {}
  MemoryStats memory_stats() const override { return {current_.load(), peak_.load()}; }
  void reset_peak_memory() override { peak_.store(current_.load()); }

  void spmm(const CsrPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c, float alpha,
            float beta) override {
    kernels::cpu::spmm(a, a_values, b, c, alpha, beta);
  }
  void spmm(const CsrPattern& a, const float* a_values, Bf16Matrix b, MutableMatrix c, float alpha,
            float beta) override {
    kernels::cpu::spmm(a, a_values, b, c, alpha, beta);
  }
  void spmm_transposed(const CscPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c, float alpha,
                       float beta) override {
    kernels::cpu::spmm_transposed(a, a_values, b, c, alpha, beta);
  }
  void spmm_transposed_update(const CscPattern& a, const float* a_values, ConstMatrix b, float alpha, MutableMatrix w,
                              const kernels::WeightUpdate& update) override {
    kernels::cpu::spmm_transposed_update(a, a_values, b, alpha, w, update);
  }
  void sddmm(const CsrPattern& pattern, ConstMatrix a, ConstMatrix b, float* out) override {
    kernels::cpu::sddmm(pattern, a, b, out);
  }
  void sddmm_squared_error(const CsrPattern& pattern, ConstMatrix h, ConstMatrix w, const float* bias,
                           const float* ratings, kernels::Activation f, float* errors, float* predictions,
                           double* loss_sum) override {
    *loss_sum += kernels::cpu::sddmm_squared_error(pattern, h, w, bias, ratings, f, errors, predictions);
  }
  void sddmm_squared_error_backprop(const kernels::OutputLayerBackprop& layer, double* loss_sum) override {
    *loss_sum += kernels::cpu::sddmm_squared_error_backprop(layer);
  }
  void gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count, offset_t* out_offsets,
                   index_t* out_indices, float* out_values) override {
    kernels::cpu::gather_rows(a, values, rows, count, out_offsets, out_indices, out_values);
  }
  void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                  offset_t* scratch) override {
    kernels::cpu::csr_to_csc(a, csc_offsets, csc_rows, csc_positions, scratch);
  }
  void bias_activation_forward(MutableMatrix z, const float* bias, kernels::Activation g, MutableMatrix h) override {
    kernels::cpu::bias_activation_forward(z, bias, g, h);
  }
  void activation_backward(ConstMatrix z, ConstMatrix dh, kernels::Activation g, MutableMatrix dz) override {
    kernels::cpu::activation_backward(z, dh, g, dz);
  }
  void dropout(ConstMatrix in, MutableMatrix out, float p, std::uint64_t seed) override {
    kernels::cpu::dropout(in, out, p, seed);
  }
  void dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed) override {
    kernels::cpu::dropout_values(in, out, n, p, seed);
  }
  void column_sums(ConstMatrix a, float* out, float alpha, float beta) override {
    kernels::cpu::column_sums(a, out, alpha, beta);
  }
  void row_sums(ConstMatrix a, float* out, float alpha, float beta) override {
    kernels::cpu::row_sums(a, out, alpha, beta);
  }
  void sparse_column_sums(const CscPattern& a, const float* values, float* out, float alpha, float beta) override {
    kernels::cpu::sparse_column_sums(a, values, out, alpha, beta);
  }
  void sparse_row_sums(const CsrPattern& a, const float* values, float* out, float alpha, float beta) override {
    kernels::cpu::sparse_row_sums(a, values, out, alpha, beta);
  }
  void sum_of_squares(const float* x, std::int64_t n, double* result) override {
    *result += kernels::cpu::sum_of_squares(x, n);
  }
  void gemm(bool transpose_a, bool transpose_b, float alpha, ConstMatrix a, ConstMatrix b, float beta,
            MutableMatrix c) override {
    kernels::cpu::gemm(transpose_a, transpose_b, alpha, a, b, beta, c);
  }
  void fill(float* x, std::int64_t n, float value) override { kernels::cpu::fill(x, n, value); }
  void scale(float* x, std::int64_t n, float alpha) override { kernels::cpu::scale(x, n, alpha); }
  void axpy(float alpha, const float* x, float* y, std::int64_t n) override { kernels::cpu::axpy(alpha, x, y, n); }
  void round_to_bfloat16(const float* x, kernels::bfloat16* out, std::int64_t n) override {
    kernels::cpu::round_to_bfloat16(x, out, n);
  }
  void apply_update(float* params, const float* grads, std::int64_t n, const kernels::WeightUpdate& update) override {
    kernels::cpu::apply_update(params, grads, n, update);
  }
  void mse_loss(ConstMatrix prediction, ConstMatrix target, float scale, MutableMatrix grad, double* loss_sum) override {
    *loss_sum += kernels::cpu::mse_loss(prediction, target, scale, grad);
  }
  void bce_with_logits_loss(ConstMatrix logits, ConstMatrix target, float scale, MutableMatrix grad,
                            double* loss_sum) override {
    *loss_sum += kernels::cpu::bce_with_logits_loss(logits, target, scale, grad);
  }
  void softmax_cross_entropy_loss(ConstMatrix logits, const index_t* labels, float scale, MutableMatrix grad,
                                  double* loss_sum) override {
    *loss_sum += kernels::cpu::softmax_cross_entropy_loss(logits, labels, scale, grad);
  }
  void index_select_rows(ConstMatrix table, const index_t* indices, MutableMatrix out) override {
    kernels::cpu::index_select_rows(table, indices, out);
  }
  void index_add_rows(ConstMatrix src, const index_t* indices, float alpha, MutableMatrix out) override {
    kernels::cpu::index_add_rows(src, indices, alpha, out);
  }

 private:
  std::atomic<std::size_t> current_{0};
  std::atomic<std::size_t> peak_{0};
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() { return std::make_unique<CpuBackend>(); }

}  // namespace engine::detail
