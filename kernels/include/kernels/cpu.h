// CPU kernels: the reference backend. Plain C++ with OpenMP over rows and contiguous inner loops over
// k for the vectoriser. Every function takes views of caller-owned host memory, allocates nothing
// (beyond OpenMP's own bookkeeping) and checks only cheap preconditions (see kernels/check.h).
//
// Shapes use the AutoRec names where it helps: a batch of m rows of an m x n sparse matrix A,
// k = the width of the dense operands (the hidden size).
#pragma once

#include <cstdint>

#include "kernels/activation.h"
#include "kernels/batching.h"
#include "kernels/bfloat16.h"
#include "kernels/optimizer_rules.h"
#include "kernels/output_layer.h"
#include "kernels/views.h"
#include "kernels/weight_update.h"

namespace kernels::cpu {

// ---- sparse x dense ---------------------------------------------------------------------------
// C (m x k) = alpha * A (m x n, CSR) . B (n x k) + beta * C.  beta == 0 overwrites C (NaNs too).
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c,
          float alpha = 1.0f, float beta = 0.0f);

// The same with B a bf16 table (`--precision bf16`): each B element widened to fp32, fp32 sums.
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const bfloat16> b, MatrixView<float> c,
          float alpha = 1.0f, float beta = 0.0f);

// C (n x k) = alpha * A^T . B (m x k) + beta * C, with A given by its CSC twin and CSR-ordered
// values: each output row (a column of A) is owned by one thread, so there are no atomics.
void spmm_transposed(const CscPattern& a, const float* a_values, MatrixView<const float> b,
                     MatrixView<float> c, float alpha = 1.0f, float beta = 0.0f);

// The transposed product fused with an optimizer step: for every row j of W (n x k),
//   g_j = alpha * (A^T . B)_j      (A through its CSC twin, B: m x k; zero for an empty column j)
//   W_j <- update(W_j, g_j)        (the rule of `update`, with its state laid out like W)
// Every row takes the step (exact: an untouched row still takes its decay term's step) unless
// update.skip_untouched_rows, which leaves the rows of empty columns, and their state, unchanged.
// The gradient is never stored: no gradient buffer to zero, no read-modify-write. With
// update.bf16_copy set, each new weight is also written there, rounded to bf16 (nearest even).
void spmm_transposed_update(const CscPattern& a, const float* a_values, MatrixView<const float> b, float alpha,
                            MatrixView<float> w, const WeightUpdate& update);

// out[p] = <A row i, B row j> for every nonzero p = (i, j) of the pattern (A: m x k, B: n x k).
void sddmm(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b, float* out);

// The AutoRec output layer and its loss in one pass over the observed entries (p = (i, j)):
//   o = <H_i, W_j> + c_j,  y = f(o),  e_p = (y - r_p) * f'(o),  predictions[p] = y (if not null),
//   returns sum over p of (y - r_p)^2   (the caller scales it: 1/2 for the summed loss, 1/nnz ...).
// bias may be null (no output bias).
double sddmm_squared_error(const CsrPattern& pattern, MatrixView<const float> h, MatrixView<const float> w,
                           const float* bias, const float* ratings, Activation f, float* errors,
                           float* predictions);

// The output layer's forward and backward in one pass over the observed entries (FusedMM); W_j is read
// from p.w_bf16 instead of p.w when that is given (bf16 table, fp32 sums): for each
// row i and nonzero p = (i, j), with o, y and e_p as in sddmm_squared_error,
//   errors[p] = e_p,   dH_i = alpha * sum over the row of e_p * W_j,   returns sum (y - r_p)^2,
// reading each W_j once for both the dot product and dH (the unfused ops read it twice). Rows of dH
// whose row has no nonzero are zero. Same results as sddmm_squared_error followed by
// spmm(pattern, errors, W, dH, alpha, 0), errors and dH bit for bit.
double sddmm_squared_error_backprop(const OutputLayerBackprop& p);

// ---- mini-batches formed where the data lives ----------------------------------------------------
// The rows rows[0, count) of A, in that order: out_offsets (count + 1) and the rows' nonzeros
// (out_indices, out_values: out_offsets[count] entries). Rows must lie in [0, A.rows).
void gather_rows(const CsrPattern& a, const float* values, const index_t* rows, index_t count, offset_t* out_offsets,
                 index_t* out_indices, float* out_values);
// The CSC twin of a CSR pattern: csc_offsets (cols + 1), csc_rows and csc_positions (nnz; each
// column's rows ascending, positions into the CSR order). scratch: at least csr_to_csc_scratch(cols).
void csr_to_csc(const CsrPattern& a, offset_t* csc_offsets, index_t* csc_rows, offset_t* csc_positions,
                offset_t* scratch);

// ---- dense elementwise -------------------------------------------------------------------------
// Z (m x k) += bias (broadcast over rows, may be null); H = g(Z).  Z keeps the pre-activation for the
// backward pass. H may alias Z (elementwise, so safe; the pre-activation is then lost).
void bias_activation_forward(MatrixView<float> z, const float* bias, Activation g, MatrixView<float> h);

// dZ = dH .* g'(Z). dZ may alias dH.
void activation_backward(MatrixView<const float> z, MatrixView<const float> dh, Activation g,
                         MatrixView<float> dz);

// Inverted dropout with a counter-based generator: element (i, j) is kept with probability 1 - p and
// scaled by 1 / (1 - p); the decision depends only on (seed, i * cols + j), so backward replays the
// same mask by calling this again on the gradient with the same seed. out may alias in.
void dropout(MatrixView<const float> in, MatrixView<float> out, float p, std::uint64_t seed);

// The same on a flat array (for example the values of a sparse batch): decision from (seed, index).
void dropout_values(const float* in, float* out, std::int64_t n, float p, std::uint64_t seed);

// ---- reductions --------------------------------------------------------------------------------
// out[j] = alpha * sum_i A(i, j) + beta * out[j]   (bias gradient of a dense layer).
void column_sums(MatrixView<const float> a, float* out, float alpha = 1.0f, float beta = 0.0f);
// out[i] = alpha * sum_j A(i, j) + beta * out[i].
void row_sums(MatrixView<const float> a, float* out, float alpha = 1.0f, float beta = 0.0f);
// out[j] = alpha * sum over the nonzeros of column j + beta * out[j] (CSR-ordered values via CSC).
void sparse_column_sums(const CscPattern& a, const float* a_values, float* out, float alpha = 1.0f,
                        float beta = 0.0f);
// out[i] = alpha * sum over the nonzeros of row i + beta * out[i].
void sparse_row_sums(const CsrPattern& a, const float* a_values, float* out, float alpha = 1.0f,
                     float beta = 0.0f);
// sum_i x[i]^2, accumulated in double.
double sum_of_squares(const float* x, std::int64_t n);
// sum_i (x[i] - y[i])^2 over a flat array, accumulated in double; grad[i] = x[i] - y[i] if not null.
double squared_error(const float* x, const float* y, std::int64_t n, float* grad);

// ---- dense losses (research ops) ----------------------------------------------------------------
// Each returns scale * (the sum of its terms), summed in double, and writes the gradient of that value
// with respect to its first operand into grad (skipped when grad.data is null; grad may alias the
// first operand). Shapes: all operands (m x n); labels: m entries in [0, n).
//   mse:                    term (p - t)^2,                               grad 2 scale (p - t)
//   bce_with_logits:        term max(z, 0) - z t + log(1 + exp(-|z|)),    grad scale (sigmoid(z) - t)
//   softmax_cross_entropy:  per row, log sum_j exp(z_j) - z_label,         grad scale (softmax(z) - onehot)
double mse_loss(MatrixView<const float> prediction, MatrixView<const float> target, float scale, MatrixView<float> grad);
double bce_with_logits_loss(MatrixView<const float> logits, MatrixView<const float> target, float scale,
                            MatrixView<float> grad);
double softmax_cross_entropy_loss(MatrixView<const float> logits, const index_t* labels, float scale,
                                  MatrixView<float> grad);

// ---- rows by index (embedding lookup and its backward) -------------------------------------------
// out (count x k): row r = table row indices[r]; every index in [0, table.rows) (kernels::Error otherwise).
void index_select_rows(MatrixView<const float> table, const index_t* indices, MatrixView<float> out);
// out row indices[r] += alpha * src row r for r < src.rows: the rows sharing an index are summed in
// ascending r first, then added (deterministic, no atomics; the CUDA kernel computes the same bits).
void index_add_rows(MatrixView<const float> src, const index_t* indices, float alpha, MatrixView<float> out);

// ---- dense products ----------------------------------------------------------------------------
// C (m x n) = alpha * op(A) . op(B) + beta * C, op(X) = X or X^T. Used for dense hidden layers and
// for decoding full rows (ranking); training's sparse layers never call it.
void gemm(bool transpose_a, bool transpose_b, float alpha, MatrixView<const float> a,
          MatrixView<const float> b, float beta, MatrixView<float> c);

// ---- flat-buffer updates -----------------------------------------------------------------------
void fill(float* x, std::int64_t n, float value);
void scale(float* x, std::int64_t n, float alpha);
// y += alpha * x (x may be y)
void axpy(float alpha, const float* x, float* y, std::int64_t n);

void sgd_update(float* params, const float* grads, float* velocity, std::int64_t n, const SgdParams& p);
void adam_update(float* params, const float* grads, float* m, float* v, std::int64_t n, const AdamParams& p);
// One optimizer step over a flat range from its gradients: the rule and state of `update` (state index
// = element index), skip_untouched_rows ignored. The same element rule as the fused products.
void apply_update(float* params, const float* grads, std::int64_t n, const WeightUpdate& update);
// out[i] = x[i] rounded to bfloat16, nearest even (kernels/bfloat16.h): (re)builds a bf16 table from
// its fp32 master weights.
void round_to_bfloat16(const float* x, bfloat16* out, std::int64_t n);
void rprop_update(float* params, const float* grads, float* previous_grads, float* step_sizes,
                  std::int64_t n, const RpropParams& p);

}  // namespace kernels::cpu
