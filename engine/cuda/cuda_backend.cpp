// CudaBackend: memory and transfers on the backend's stream, compute forwarded to kernels::cuda (or,
// when selected, to the cuSPARSE/cuBLAS baselines in kernels::vendor).
#include "cuda_backend.h"

#include <algorithm>

#include "engine/cuda.h"
#include "engine/error.h"
#include "kernels/cuda.h"

namespace engine::detail {

CudaBackend::CudaBackend(int ordinal) : ordinal_(ordinal), description_(describe_cuda_device(ordinal)) {
  KERNELS_CUDA_CHECK(cudaSetDevice(ordinal_));
  // Non-blocking: no implicit synchronisation with the legacy default stream, which other code in
  // the process (a user's library, a profiler) may be using.
  KERNELS_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
}

CudaBackend::~CudaBackend() {
  // Backends live until exit (backend_for never destroys them); this only runs in tests that own one.
#if defined(ENGINE_HAVE_VENDOR_KERNELS)
  vendor_.reset();
#endif
  static_cast<void>(cudaStreamSynchronize(stream_));
  static_cast<void>(cudaStreamDestroy(stream_));
}

cudaStream_t CudaBackend::stream() {
  int current = -1;
  KERNELS_CUDA_CHECK(cudaGetDevice(&current));
  if (current != ordinal_) KERNELS_CUDA_CHECK(cudaSetDevice(ordinal_));
  return stream_;
}

// ---- memory ----------------------------------------------------------------------------------------

void* CudaBackend::allocate(std::size_t bytes) {
  stream();  // cudaMalloc allocates on the current device
  return allocator_.allocate(bytes);
}

void CudaBackend::deallocate(void* pointer, std::size_t bytes) noexcept { allocator_.deallocate(pointer, bytes); }

void CudaBackend::copy_from_host(void* dst, const void* host_src, std::size_t bytes) {
  // Synchronous for the host, as the Backend contract says: the caller may reuse host_src at once.
  KERNELS_CUDA_CHECK(cudaMemcpyAsync(dst, host_src, bytes, cudaMemcpyHostToDevice, stream()));
  KERNELS_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaBackend::copy_to_host(void* host_dst, const void* src, std::size_t bytes) {
  KERNELS_CUDA_CHECK(cudaMemcpyAsync(host_dst, src, bytes, cudaMemcpyDeviceToHost, stream()));
  KERNELS_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaBackend::copy(void* dst, const void* src, std::size_t bytes) {
  KERNELS_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream()));
}

void CudaBackend::zero(void* dst, std::size_t bytes) { KERNELS_CUDA_CHECK(cudaMemsetAsync(dst, 0, bytes, stream())); }

void CudaBackend::synchronize() { KERNELS_CUDA_CHECK(cudaStreamSynchronize(stream())); }

MemoryStats CudaBackend::memory_stats() const {
  const CudaMemoryStats stats = allocator_.stats();
  return {stats.live_bytes, stats.peak_live_bytes};
}

void CudaBackend::reset_peak_memory() { allocator_.reset_peak(); }

void CudaBackend::release_cached_memory() {
  stream();
  allocator_.release_cached();
}

// ---- vendor selection --------------------------------------------------------------------------------

#if defined(ENGINE_HAVE_VENDOR_KERNELS)
kernels::vendor::Context* CudaBackend::vendor_if_selected() {
  if (cuda_kernels().source != CudaKernelSource::Vendor) return nullptr;
  const cudaStream_t selected_stream = stream();  // also makes the device current for the library calls
  if (vendor_ == nullptr) vendor_ = std::make_unique<kernels::vendor::Context>(selected_stream);
  return vendor_.get();
}

namespace {
kernels::vendor::SpmmAlgorithm selected_spmm_algorithm() {
  return cuda_kernels().spmm_algorithm == VendorSpmmAlgorithm::CsrAlg3 ? kernels::vendor::SpmmAlgorithm::CsrAlg3
                                                                       : kernels::vendor::SpmmAlgorithm::CsrAlg2;
}
kernels::vendor::GemmPrecision selected_gemm_precision() {
  return cuda_kernels().gemm_precision == VendorGemmPrecision::Tf32 ? kernels::vendor::GemmPrecision::Tf32
                                                                    : kernels::vendor::GemmPrecision::Fp32;
}
// The vendor wrappers reject empty operands (the libraries disagree on them); ours handle them.
bool all_positive(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) {
  return a > 0 && b > 0 && c > 0 && d > 0;
}
}  // namespace
#endif

// ---- compute -------------------------------------------------------------------------------------

namespace {

// Working memory of one op from the backend's caching allocator, given back when the op has been
// enqueued: the allocator hands it out again only to work enqueued later on the same stream.
class OpScratch {
 public:
  OpScratch(Backend& backend, std::size_t bytes)
      : backend_(backend), bytes_(std::max<std::size_t>(bytes, 1)), data_(backend.allocate(bytes_)) {}
  OpScratch(const OpScratch&) = delete;
  OpScratch& operator=(const OpScratch&) = delete;
  ~OpScratch() { backend_.deallocate(data_, bytes_); }
  template <class T>
  T* as() const {
    return static_cast<T*>(data_);
  }

 private:
  Backend& backend_;
  std::size_t bytes_;
  void* data_;
};

}  // namespace

void CudaBackend::spmm(const CsrPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c, float alpha,
                       float beta) {
#if defined(ENGINE_HAVE_VENDOR_KERNELS)
  if (all_positive(a.rows, a.cols, a.nnz, b.cols)) {
    if (auto* vendor = vendor_if_selected()) return vendor->spmm(a, a_values, b, c, alpha, beta, selected_spmm_algorithm());
  }
#endif
  split_spmm(a, a_values, b, c, alpha, beta);
}

// bf16 tables are ours only (the vendor baselines are fp32): the split-mode kernel over bf16x2 loads.
void CudaBackend::spmm(const CsrPattern& a, const float* a_values, Bf16Matrix b, MutableMatrix c, float alpha,
                       float beta) {
  split_spmm(a, a_values, b, c, alpha, beta);
}

// Our spmm in split mode (long rows over many blocks), with its scratch from the allocator.
template <class TB>
void CudaBackend::split_spmm(const CsrPattern& a, const float* a_values, kernels::MatrixView<const TB> b,
                             MutableMatrix c, float alpha, float beta) {
  const kernels::cuda::SpmmScratchSize need = kernels::cuda::spmm_scratch(a.rows, a.nnz, c.cols);
  OpScratch segments(*this, static_cast<std::size_t>(need.segment_offsets) * sizeof(kernels::offset_t));
  OpScratch partials(*this, static_cast<std::size_t>(need.partials) * sizeof(float));
  kernels::cuda::spmm(a, a_values, b, c, alpha, beta,
                      kernels::cuda::SpmmScratch{segments.as<kernels::offset_t>(), partials.as<float>()}, stream());
}

void CudaBackend::spmm_transposed(const CscPattern& a, const float* a_values, ConstMatrix b, MutableMatrix c,
                                  float alpha, float beta) {
#if defined(ENGINE_HAVE_VENDOR_KERNELS)
  if (all_positive(a.rows, a.cols, a.nnz, b.cols)) {
    if (auto* vendor = vendor_if_selected()) {
      return vendor->spmm_transposed(a, a_values, b, c, alpha, beta, selected_spmm_algorithm());
    }
  }
#endif
  kernels::cuda::spmm_transposed(a, a_values, b, c, alpha, beta, stream());
}

// No vendor library has an optimizer epilogue: this product is ours under every kernel selection.
void CudaBackend::spmm_transposed_update(const CscPattern& a, const float* a_values, ConstMatrix b, float alpha,
                                         MutableMatrix w, const kernels::WeightUpdate& update) {
  kernels::cuda::spmm_transposed_update(a, a_values, b, alpha, w, update, stream());
}

void CudaBackend::sddmm_squared_error_backprop(const kernels::OutputLayerBackprop& layer, double* loss_sum) {
  const kernels::cuda::OutputLayerBackpropScratch need =
      kernels::cuda::sddmm_squared_error_backprop_scratch(layer.pattern.rows, layer.pattern.nnz, layer.h.cols);
  OpScratch segments(*this, static_cast<std::size_t>(need.segment_offsets) * sizeof(kernels::offset_t));
  OpScratch partials(*this, static_cast<std::size_t>(need.partials) * sizeof(float));
  kernels::cuda::sddmm_squared_error_backprop(layer, loss_sum, segments.as<kernels::offset_t>(), partials.as<float>(),
                                              stream());
}

void CudaBackend::gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count,
                              offset_t* out_offsets, index_t* out_indices, float* out_values) {
  kernels::cuda::gather_rows(a, values, rows, count, out_offsets, out_indices, out_values, stream());
}

void CudaBackend::csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                             offset_t* scratch) {
  kernels::cuda::csr_to_csc(a, csc_offsets, csc_rows, csc_positions, scratch, stream());
}

void CudaBackend::sddmm(const CsrPattern& pattern, ConstMatrix a, ConstMatrix b, float* out) {
#if defined(ENGINE_HAVE_VENDOR_KERNELS)
  if (all_positive(pattern.rows, pattern.cols, pattern.nnz, a.cols)) {
    if (auto* vendor = vendor_if_selected()) return vendor->sddmm(pattern, a, b, out);
  }
#endif
  kernels::cuda::sddmm(pattern, a, b, out, stream());
}

void CudaBackend::gemm(bool transpose_a, bool transpose_b, float alpha, ConstMatrix a, ConstMatrix b, float beta,
                       MutableMatrix c) {
#if defined(ENGINE_HAVE_VENDOR_KERNELS)
  if (all_positive(c.rows, c.cols, transpose_a ? a.rows : a.cols, 1)) {
    if (auto* vendor = vendor_if_selected()) {
      return vendor->gemm(transpose_a, transpose_b, alpha, a, b, beta, c, selected_gemm_precision());
    }
  }
#endif
  kernels::cuda::gemm(transpose_a, transpose_b, alpha, a, b, beta, c, stream());
}

void CudaBackend::sddmm_squared_error(const CsrPattern& pattern, ConstMatrix h, ConstMatrix w, const float* bias,
                                      const float* ratings, kernels::Activation f, float* errors, float* predictions,
                                      double* loss_sum) {
  kernels::cuda::sddmm_squared_error(pattern, h, w, bias, ratings, f, errors, predictions, loss_sum, stream());
}

void CudaBackend::bias_activation_forward(MutableMatrix z, const float* bias, kernels::Activation g, MutableMatrix h) {
  kernels::cuda::bias_activation_forward(z, bias, g, h, stream());
}

void CudaBackend::activation_backward(ConstMatrix z, ConstMatrix dh, kernels::Activation g, MutableMatrix dz) {
  kernels::cuda::activation_backward(z, dh, g, dz, stream());
}

void CudaBackend::dropout(ConstMatrix in, MutableMatrix out, float p, std::uint64_t seed) {
  kernels::cuda::dropout(in, out, p, seed, stream());
}

void CudaBackend::dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed) {
  kernels::cuda::dropout_values(in, out, n, p, seed, stream());
}

void CudaBackend::column_sums(ConstMatrix a, float* out, float alpha, float beta) {
  kernels::cuda::column_sums(a, out, alpha, beta, stream());
}

void CudaBackend::row_sums(ConstMatrix a, float* out, float alpha, float beta) {
  kernels::cuda::row_sums(a, out, alpha, beta, stream());
}

void CudaBackend::sparse_column_sums(const CscPattern& a, const float* values, float* out, float alpha, float beta) {
  kernels::cuda::sparse_column_sums(a, values, out, alpha, beta, stream());
}

void CudaBackend::sparse_row_sums(const CsrPattern& a, const float* values, float* out, float alpha, float beta) {
  kernels::cuda::sparse_row_sums(a, values, out, alpha, beta, stream());
}

void CudaBackend::sum_of_squares(const float* x, std::int64_t n, double* result) {
  kernels::cuda::sum_of_squares(x, n, result, stream());
}

void CudaBackend::fill(float* x, std::int64_t n, float value) { kernels::cuda::fill(x, n, value, stream()); }

void CudaBackend::scale(float* x, std::int64_t n, float alpha) { kernels::cuda::scale(x, n, alpha, stream()); }

void CudaBackend::axpy(float alpha, const float* x, float* y, std::int64_t n) {
  kernels::cuda::axpy(alpha, x, y, n, stream());
}

void CudaBackend::round_to_bfloat16(const float* x, kernels::bfloat16* out, std::int64_t n) {
  kernels::cuda::round_to_bfloat16(x, out, n, stream());
}

void CudaBackend::apply_update(float* params, const float* grads, std::int64_t n,
                               const kernels::WeightUpdate& update) {
  kernels::cuda::apply_update(params, grads, n, update, stream());
}

void CudaBackend::mse_loss(ConstMatrix prediction, ConstMatrix target, float scale, MutableMatrix grad,
                           double* loss_sum) {
  kernels::cuda::mse_loss(prediction, target, scale, grad, loss_sum, stream());
}

void CudaBackend::bce_with_logits_loss(ConstMatrix logits, ConstMatrix target, float scale, MutableMatrix grad,
                                       double* loss_sum) {
  kernels::cuda::bce_with_logits_loss(logits, target, scale, grad, loss_sum, stream());
}

void CudaBackend::softmax_cross_entropy_loss(ConstMatrix logits, const index_t* labels, float scale,
                                             MutableMatrix grad, double* loss_sum) {
  kernels::cuda::softmax_cross_entropy_loss(logits, labels, scale, grad, loss_sum, stream());
}

void CudaBackend::index_select_rows(ConstMatrix table, const index_t* indices, MutableMatrix out) {
  kernels::cuda::index_select_rows(table, indices, out, stream());
}

void CudaBackend::index_add_rows(ConstMatrix src, const index_t* indices, float alpha, MutableMatrix out) {
  OpScratch scratch(*this, static_cast<std::size_t>(kernels::cuda::index_add_rows_scratch(src.rows, out.rows)) *
                               sizeof(kernels::offset_t));
  kernels::cuda::index_add_rows(src, indices, alpha, out, scratch.as<kernels::offset_t>(), stream());
}

}  // namespace engine::detail
