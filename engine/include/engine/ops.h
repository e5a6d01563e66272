// The engine's ops: shape and device checks, then one backend call. Every mismatch throws
// engine::ShapeError naming the op and the operands' shapes. Flat arrays (bias vectors, the values
// of a sparse matrix) are (1, n) views. Semantics of each op: kernels/cpu.h.
#pragma once

#include <cstdint>

#include "engine/accumulator.h"
#include "engine/sparse_matrix.h"
#include "engine/tensor.h"
#include "kernels/weight_update.h"

namespace engine::ops {

// C (m, k) = alpha * A (m, n) . B (n, k) + beta * C; `values` (1, nnz) replaces A's own values.
void spmm(const SparseMatrix& a, ConstTensorView b, TensorView c, float alpha = 1.0f, float beta = 0.0f);
void spmm(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, TensorView c, float alpha = 1.0f,
          float beta = 0.0f);

// C (n, k) = alpha * A^T . B (m, k) + beta * C, through A's CSC twin.
void spmm_transposed(const SparseMatrix& a, ConstTensorView b, TensorView c, float alpha = 1.0f, float beta = 0.0f);
void spmm_transposed(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, TensorView c,
                     float alpha = 1.0f, float beta = 0.0f);

// W (n, k) takes one optimizer step with gradient alpha * A^T . B (m, k), formed inside the product and
// never stored (the fused backward + update of a sparse layer; `update` comes from the optimizer, see
// Optimizer::update_for). Rows of W whose column of A is empty take the step of a zero data gradient
// unless update.skip_untouched_rows.
void spmm_transposed_update(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, float alpha,
                            TensorView w, const kernels::WeightUpdate& update);

// out (1, nnz): out[p] = <A_i, B_j> for each nonzero p = (i, j) of the pattern; A (m, k), B (n, k).
void sddmm(const SparseMatrix& pattern, ConstTensorView a, ConstTensorView b, TensorView out);

// The fused output layer + loss: for each nonzero p = (i, j) with target r_p = targets' value,
// o = <H_i, W_j> + bias_j, y = f(o); errors[p] = (y - r_p) f'(o); predictions[p] = y (if given);
// sse += sum (y - r_p)^2. bias may be an empty view (no bias).
void sddmm_squared_error(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w, ConstTensorView bias,
                         Activation f, TensorView errors, TensorView predictions, DeviceAccumulator& sse);

// The same fused with the backward to H (FusedMM): also dH (m, k) = alpha * E . W, reading each W row
// once per nonzero. k <= 512 on CUDA (the registers that hold a row); kernels::cpu has no limit.
void sddmm_squared_error_backprop(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w,
                                  ConstTensorView bias, Activation f, float alpha, TensorView errors, TensorView dh,
                                  DeviceAccumulator& sse);

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

// Elementwise on every element (ld padding untouched).
void fill(TensorView x, float value);
void scale(TensorView x, float alpha);
// y += alpha * x
void axpy(float alpha, ConstTensorView x, TensorView y);
// dst = src (same shape, any devices).
void copy(ConstTensorView src, TensorView dst);

}  // namespace engine::ops
