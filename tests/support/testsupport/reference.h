// Naive double-precision references for every kernel of kernels/cpu.h, written for clarity, not
// speed, and independently of the kernels (the transposed SpMM and the sparse column sums scatter
// over the CSR form instead of reading the CSC twin). Dense results come back packed row-major
// (rows x cols, no padding) as std::vector<double>. "in" arguments (c_in, out_in) are the output's
// previous contents; they are read only when beta != 0 and may then be empty / null.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/activation.h"
#include "kernels/optimizer_rules.h"
#include "kernels/views.h"

namespace testsupport {

using kernels::Activation;
using kernels::CsrPattern;
using ConstView = kernels::MatrixView<const float>;

// ---- sparse products ----
// (m x k) = alpha * A (m x n) . B (n x k) + beta * C_in
std::vector<double> spmm_reference(const CsrPattern& a, const float* a_values, ConstView b, ConstView c_in, float alpha,
                                   float beta);
// (n x k) = alpha * A^T . B (m x k) + beta * C_in
std::vector<double> spmm_transposed_reference(const CsrPattern& a, const float* a_values, ConstView b, ConstView c_in,
                                              float alpha, float beta);
// (nnz) <A row i, B row j> at each nonzero (i, j)
std::vector<double> sddmm_reference(const CsrPattern& pattern, ConstView a, ConstView b);

struct OutputLayerReference {
  std::vector<double> errors;       // (nnz) (y - r) * f'(o)
  std::vector<double> predictions;  // (nnz) y = f(o)
  double loss = 0.0;                // sum (y - r)^2
};
OutputLayerReference sddmm_squared_error_reference(const CsrPattern& pattern, ConstView h, ConstView w,
                                                   const float* bias, const float* ratings, Activation f);

// ---- activations (double formulas, not kernels::activate) ----
using kernels::activation_derivative_reference;  // the formula units' double references
using kernels::activation_reference;
using kernels::kAllActivations;

struct BiasActivationReference {
  std::vector<double> z;  // (m x k) pre-activation after the bias
  std::vector<double> h;  // (m x k) g(z)
};
BiasActivationReference bias_activation_reference(ConstView z, const float* bias, Activation g);
std::vector<double> activation_backward_reference(ConstView z, ConstView dh, Activation g);

// Dropout is specified by its formula: keep (i, j) iff kernels::uniform01(seed, i * cols + j) >= p.
std::vector<double> dropout_reference(ConstView in, float p, std::uint64_t seed);
std::vector<double> dropout_values_reference(const float* in, std::int64_t n, float p, std::uint64_t seed);

// ---- reductions ----
std::vector<double> column_sums_reference(ConstView a, const float* out_in, float alpha, float beta);
std::vector<double> row_sums_reference(ConstView a, const float* out_in, float alpha, float beta);
std::vector<double> sparse_column_sums_reference(const CsrPattern& a, const float* a_values, const float* out_in,
                                                 float alpha, float beta);
std::vector<double> sparse_row_sums_reference(const CsrPattern& a, const float* a_values, const float* out_in,
                                              float alpha, float beta);
double sum_of_squares_reference(const float* x, std::int64_t n);
double squared_error_reference(const float* x, const float* y, std::int64_t n);

// ---- dense product ----
// (m x n) = alpha * op(A) . op(B) + beta * C_in
std::vector<double> gemm_reference(bool transpose_a, bool transpose_b, float alpha, ConstView a, ConstView b,
                                   float beta, ConstView c_in);

// ---- optimizers: one step on double state, the formulas of kernels/optimizer_rules/*.h ----
struct OptimizerState {
  std::vector<double> params;
  std::vector<double> first;   // SGD velocity / Adam m / RProp previous gradient
  std::vector<double> second;  // Adam v / RProp step sizes (unused by SGD)
  // SGD and Adam size empty state vectors with zeros; RProp needs first and second set by the caller.
};
void sgd_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::SgdParams& p);
void adam_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::AdamParams& p);
void rprop_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::RpropParams& p);
// Adagrad: first = the sum of squared gradients (sized with zeros when empty).
void adagrad_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::AdagradParams& p);
// Lion: first = the momentum (sized with zeros when empty).
void lion_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::LionParams& p);

}  // namespace testsupport
