// CUDA kernels: the same ops as kernels/cpu.h (read it for each op's exact semantics), on device
// memory, enqueued on an explicit stream. Every launcher checks its preconditions (kernels::Error),
// launches through kernels::cuda::launch (kernels::CudaError on failure) and returns without
// synchronising. The same source also runs on the CPU under the SIMT emulation (KERNELS_SIMT).
//
// Differences from cpu.h: results that cpu.h returns as double are ADDED to a device double
// (`*sum += ...`), so a loss can accumulate over a whole epoch without a host round trip.
#pragma once

#include <cstdint>

// cuda_platform.h first: under the SIMT emulation it defines __host__/__device__, which views.h uses.
#include "kernels/cuda_platform.h"
// (separate block: keeps include sorting from moving it)

#include "kernels/activation.h"
#include "kernels/batching.h"
#include "kernels/bfloat16.h"
#include "kernels/optimizer_rules.h"
#include "kernels/output_layer.h"
#include "kernels/views.h"
#include "kernels/weight_update.h"

namespace kernels::cuda {

// ---- sparse x dense ---------------------------------------------------------------------------
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c, float alpha,
          float beta, cudaStream_t stream);
// B a bf16 table (`--precision bf16`): bf16x2 loads widened in registers, fp32 sums.
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const bfloat16> b, MatrixView<float> c, float alpha,
          float beta, cudaStream_t stream);
// The same with long rows split over many blocks (load balance for heavy-tailed rows, same results up to
// the order of the fp32 additions, deterministic): caller-owned scratch sized by spmm_scratch().
struct SpmmScratch {
  offset_t* segment_offsets = nullptr;  // SpmmScratchSize::segment_offsets entries
  float* partials = nullptr;            // SpmmScratchSize::partials floats
};
struct SpmmScratchSize {
  std::int64_t segment_offsets = 0;
  std::int64_t partials = 0;
  std::int64_t partial_ld = 0;
};
SpmmScratchSize spmm_scratch(index_t rows, offset_t nnz, std::int64_t k);
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c, float alpha,
          float beta, const SpmmScratch& scratch, cudaStream_t stream);
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const bfloat16> b, MatrixView<float> c, float alpha,
          float beta, const SpmmScratch& scratch, cudaStream_t stream);
void spmm_transposed(const CscPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c,
                     float alpha, float beta, cudaStream_t stream);
// The transposed product fused with an optimizer step (see cpu.h).
void spmm_transposed_update(const CscPattern& a, const float* a_values, MatrixView<const float> b, float alpha,
                            MatrixView<float> w, const WeightUpdate& update, cudaStream_t stream);
void sddmm(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b, float* out,
           cudaStream_t stream);
// *loss_sum += sum of squared errors (device double).
void sddmm_squared_error(const CsrPattern& pattern, MatrixView<const float> h, MatrixView<const float> w,
                         const float* bias, const float* ratings, Activation f, float* errors, float* predictions,
                         double* loss_sum, cudaStream_t stream);

// The fused output layer forward + backward (see cpu.h): *loss_sum += the squared errors, errors and
// dH written. k <= 512. Needs caller-owned scratch sized by sddmm_squared_error_backprop_scratch():
// segment_offsets (segment_offsets entries) and partials (partials floats).
struct OutputLayerBackpropScratch {
  std::int64_t segment_offsets = 0;
  std::int64_t partials = 0;
  std::int64_t partial_ld = 0;
};
OutputLayerBackpropScratch sddmm_squared_error_backprop_scratch(index_t rows, offset_t nnz, std::int64_t k);
void sddmm_squared_error_backprop(const OutputLayerBackprop& layer, double* loss_sum, offset_t* segment_offsets,
                                  float* partials, cudaStream_t stream);

// ---- mini-batches formed on the device (see cpu.h) ----
void gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count, offset_t* out_offsets,
                 index_t* out_indices, float* out_values, cudaStream_t stream);
void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                offset_t* scratch, cudaStream_t stream);

// ---- dense elementwise -------------------------------------------------------------------------
void bias_activation_forward(MatrixView<float> z, const float* bias, Activation g, MatrixView<float> h,
                             cudaStream_t stream);
void activation_backward(MatrixView<const float> z, MatrixView<const float> dh, Activation g, MatrixView<float> dz,
                         cudaStream_t stream);
void dropout(MatrixView<const float> in, MatrixView<float> out, float p, std::uint64_t seed, cudaStream_t stream);
void dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed, cudaStream_t stream);

// ---- reductions --------------------------------------------------------------------------------
void column_sums(MatrixView<const float> a, float* out, float alpha, float beta, cudaStream_t stream);
void row_sums(MatrixView<const float> a, float* out, float alpha, float beta, cudaStream_t stream);
void sparse_column_sums(const CscPattern& a, const float* a_values, float* out, float alpha, float beta,
                        cudaStream_t stream);
void sparse_row_sums(const CsrPattern& a, const float* a_values, float* out, float alpha, float beta,
                     cudaStream_t stream);
// *sum += sum_i x[i]^2 (device double).
void sum_of_squares(const float* x, std::int64_t n, double* sum, cudaStream_t stream);
// *sum += sum_i (x[i] - y[i])^2; grad[i] = x[i] - y[i] if grad is not null.
void squared_error(const float* x, const float* y, std::int64_t n, float* grad, double* sum, cudaStream_t stream);

// ---- dense losses (see cpu.h): *loss_sum += scale * the sum of the terms (device double) ----
// A label outside [0, n) makes its row's loss and gradient NaN (the device cannot throw).
void mse_loss(MatrixView<const float> prediction, MatrixView<const float> target, float scale, MatrixView<float> grad,
              double* loss_sum, cudaStream_t stream);
void bce_with_logits_loss(MatrixView<const float> logits, MatrixView<const float> target, float scale,
                          MatrixView<float> grad, double* loss_sum, cudaStream_t stream);
void softmax_cross_entropy_loss(MatrixView<const float> logits, const index_t* labels, float scale,
                                MatrixView<float> grad, double* loss_sum, cudaStream_t stream);

// ---- rows by index (see cpu.h) ----
// An index outside [0, table.rows) gives a row of NaNs (the device cannot throw).
void index_select_rows(MatrixView<const float> table, const index_t* indices, MatrixView<float> out,
                       cudaStream_t stream);
// Deterministic: the indices are grouped by a stable counting sort (csr_to_csc of the index list), then
// each out row sums its source rows in ascending order; indices outside [0, out.rows) are skipped.
// Caller-owned scratch of index_add_rows_scratch(src.rows, out.rows) offsets.
std::int64_t index_add_rows_scratch(std::int64_t count, std::int64_t out_rows);
void index_add_rows(MatrixView<const float> src, const index_t* indices, float alpha, MatrixView<float> out,
                    offset_t* scratch, cudaStream_t stream);

// ---- dense products ----------------------------------------------------------------------------
void gemm(bool transpose_a, bool transpose_b, float alpha, MatrixView<const float> a, MatrixView<const float> b,
          float beta, MatrixView<float> c, cudaStream_t stream);

// ---- flat-buffer updates -----------------------------------------------------------------------
void fill(float* x, std::int64_t n, float value, cudaStream_t stream);
void scale(float* x, std::int64_t n, float alpha, cudaStream_t stream);
void axpy(float alpha, const float* x, float* y, std::int64_t n, cudaStream_t stream);
void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p,
                cudaStream_t stream);
void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p,
                 cudaStream_t stream);
void apply_update(float* params, const float* grads, std::int64_t n, const WeightUpdate& update, cudaStream_t stream);
// out[i] = x[i] rounded to bfloat16, nearest even: (re)builds a bf16 table from its fp32 weights.
void round_to_bfloat16(const float* x, bfloat16* out, std::int64_t n, cudaStream_t stream);
void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes, std::int64_t n,
                  const RpropParams& p, cudaStream_t stream);

}  // namespace kernels::cuda
