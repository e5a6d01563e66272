// The engine's ops: shape and device checks, then one backend call. Every mismatch throws
// engine::ShapeError naming the op and the operands' shapes. Flat arrays (bias vectors, the values
// of a sparse matrix) are (1, n) views. Semantics of each op: kernels/cpu.h.
#pragma once

#include <cstdint>
#include <string>

#include "engine/accumulator.h"
#include "engine/bf16_table.h"
#include "engine/activation.h"
#include "engine/device_array.h"
#include "engine/sparse_matrix.h"
#include "engine/tensor.h"
#include "engine/fused_update.h"

namespace engine::ops {

// Names the layer whose ops run while it lives (per thread, nestable): shape and device errors then
// read "layer 'encoder': spmm: ...". The engine's layers open one in every forward and backward;
// research code can open its own.
class LayerScope {
 public:
  explicit LayerScope(std::string name);
  ~LayerScope();
  LayerScope(const LayerScope&) = delete;
  LayerScope& operator=(const LayerScope&) = delete;

 private:
  std::string name_;
  const LayerScope* outer_;
  friend std::string current_layer_prefix();
};
// "layer 'name': " for the innermost open scope, or "" outside any.
std::string current_layer_prefix();

// C (m, k) = alpha * A (m, n) . B (n, k) + beta * C; `values` (1, nnz) replaces A's own values.
void spmm(const SparseMatrix& a, ConstTensorView b, TensorView c, float alpha = 1.0f, float beta = 0.0f);
void spmm(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, TensorView c, float alpha = 1.0f,
          float beta = 0.0f);

// The same with B a bf16 table (ParameterStore::bf16_copy, `--precision bf16`): fp32 sums.
void spmm(const SparseMatrix& a, Bf16TableView b, TensorView c, float alpha = 1.0f, float beta = 0.0f);

// C (n, k) = alpha * A^T . B (m, k) + beta * C, through A's CSC twin.
void spmm_transposed(const SparseMatrix& a, ConstTensorView b, TensorView c, float alpha = 1.0f, float beta = 0.0f);
void spmm_transposed(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, TensorView c,
                     float alpha = 1.0f, float beta = 0.0f);

// W (n, k) takes one optimizer step with gradient alpha * A^T . B (m, k), formed inside the product and
// never stored (the fused backward + update of a sparse layer; `update` comes from the optimizer, see
// Optimizer::update_for). Rows of W whose column of A is empty take the step of a zero data gradient
// unless the optimizer is lazy (Optimizer::set_lazy).
void spmm_transposed_update(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, float alpha,
                            TensorView w, const FusedUpdate& update);

// out (1, nnz): out[p] = <A_i, B_j> for each nonzero p = (i, j) of the pattern; A (m, k), B (n, k).
void sddmm(const SparseMatrix& pattern, ConstTensorView a, ConstTensorView b, TensorView out);

// The fused output layer + loss: for each nonzero p = (i, j) with target r_p = targets' value,
// o = <H_i, W_j> + bias_j, y = f(o); errors[p] = (y - r_p) f'(o); predictions[p] = y (if given);
// sse += sum (y - r_p)^2. bias may be an empty view (no bias).
void sddmm_squared_error(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w, ConstTensorView bias,
                         Activation f, TensorView errors, TensorView predictions, DeviceAccumulator& sse);

// The same fused with the backward to H (FusedMM): also dH (m, k) = alpha * E . W, reading each W row
// once per nonzero. k <= 512 on CUDA (the registers that hold a row); the CPU has no limit.
void sddmm_squared_error_backprop(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w,
                                  ConstTensorView bias, Activation f, float alpha, TensorView errors, TensorView dh,
                                  DeviceAccumulator& sse);
// The same gathering W_j from w_bf16, W's bf16 copy (same shape; an empty view: from w itself).
void sddmm_squared_error_backprop(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w,
                                  Bf16TableView w_bf16, ConstTensorView bias, Activation f, float alpha,
                                  TensorView errors, TensorView dh, DeviceAccumulator& sse);

// Z += bias (broadcast over rows; empty view = none); H = g(Z).
void bias_activation_forward(TensorView z, ConstTensorView bias, Activation g, TensorView h);
// dZ = dH .* g'(Z).
void activation_backward(ConstTensorView z, ConstTensorView dh, Activation g, TensorView dz);
// Inverted dropout, mask from (seed, i * cols + j); out may be in.
void dropout(ConstTensorView in, TensorView out, float p, std::uint64_t seed);

// out (1, cols) = alpha * column sums of A + beta * out.
void column_sums(ConstTensorView a, TensorView out, float alpha = 1.0f, float beta = 0.0f);
// out (1, rows) = alpha * row sums of A + beta * out.
void row_sums(ConstTensorView a, TensorView out, float alpha = 1.0f, float beta = 0.0f);
// out (1, cols) = alpha * column sums of the sparse matrix with `values` + beta * out.
void sparse_column_sums(const SparseMatrix& pattern, ConstTensorView values, TensorView out, float alpha = 1.0f,
                        float beta = 0.0f);
// out (1, rows) likewise by row.
void sparse_row_sums(const SparseMatrix& pattern, ConstTensorView values, TensorView out, float alpha = 1.0f,
                     float beta = 0.0f);
// result += sum of squares of x's elements.
void sum_of_squares(ConstTensorView x, DeviceAccumulator& result);

// C = alpha * op(A) . op(B) + beta * C.
void gemm(bool transpose_a, bool transpose_b, float alpha, ConstTensorView a, ConstTensorView b, float beta,
          TensorView c);

// ---- dense losses (research ops) ----
// Each adds scale * (the sum of its terms) to `loss` and writes the gradient of that value with respect
// to its first operand into grad (same shape; may be the first operand itself; an empty view = none).
//   mse_loss:                    terms (p - t)^2 over every element; grad 2 scale (p - t)
//   bce_with_logits_loss:        terms max(z, 0) - z t + log(1 + exp(-|z|)); grad scale (sigmoid(z) - t)
//   softmax_cross_entropy_loss:  per row, log sum_j exp(z_j) - z_label; grad scale (softmax(z) - onehot)
// For a mean, pass scale = 1 / (number of terms). labels: one per row of logits, in [0, cols) (on the
// CPU an error; on CUDA a label out of range makes that row's loss and gradient NaN).
void mse_loss(ConstTensorView prediction, ConstTensorView target, float scale, TensorView grad, DeviceAccumulator& loss);
void bce_with_logits_loss(ConstTensorView logits, ConstTensorView target, float scale, TensorView grad,
                          DeviceAccumulator& loss);
void softmax_cross_entropy_loss(ConstTensorView logits, const DeviceArray<index_t>& labels, float scale,
                                TensorView grad, DeviceAccumulator& loss);

// ---- rows by index: the embedding lookup and its backward ----
// out (count, k): row r = table row indices[r] (indices: count entries in [0, table rows); on the CPU
// an index out of range is an error, on CUDA its row reads NaN).
void index_select_rows(ConstTensorView table, const DeviceArray<index_t>& indices, TensorView out);
// out row indices[r] += alpha * src row r, for each row r of src (src: (count, k)): the gradient of
// index_select_rows. Deterministic on every backend (grouped by index, no float atomics); on CUDA an
// index out of range is skipped.
void index_add_rows(ConstTensorView src, const DeviceArray<index_t>& indices, float alpha, TensorView out);

// Elementwise on every element (ld padding untouched).
void fill(TensorView x, float value);
void scale(TensorView x, float alpha);
// y += alpha * x
void axpy(float alpha, ConstTensorView x, TensorView y);
// dst = src (same shape, any devices).
void copy(ConstTensorView src, TensorView dst);

}  // namespace engine::ops
