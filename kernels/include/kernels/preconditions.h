// Host-side precondition checks shared by the CPU and the CUDA kernels. They look only at shapes,
// sizes and pointers, never at the memory behind a pointer, so they hold for host and device operands
// alike and both backends reject exactly the same bad input with the same message. (The CPU backend
// adds O(1) checks of the offsets' contents in kernels/cpu/preconditions.h: it can read them.)
// Host-only code: nvcc compiles it in the host pass of the .cu files.
#pragma once

#include <cstdint>

#include "kernels/check.h"
#include "kernels/optimizer_rules.h"
#include "kernels/views.h"
#include "kernels/weight_update.h"

namespace kernels::detail {

// A dense operand: non-negative shape, ld >= cols, and memory behind it when it is not empty.
template <class T>
void require_matrix(const MatrixView<T>& m, const char* name) {
  KERNELS_REQUIRE(m.rows >= 0 && m.cols >= 0, name, " has a negative shape ", m.rows, " x ", m.cols);
  KERNELS_REQUIRE(m.ld >= m.cols, name, ": leading dimension ", m.ld, " < cols ", m.cols);
  KERNELS_REQUIRE(m.data != nullptr || m.rows == 0 || m.cols == 0,
                  name, " is null but has shape ", m.rows, " x ", m.cols);
}

template <class T, class U>
void require_same_shape(const MatrixView<T>& a, const MatrixView<U>& b, const char* a_name, const char* b_name) {
  KERNELS_REQUIRE(a.rows == b.rows && a.cols == b.cols, a_name, " is ", a.rows, " x ", a.cols, " but ", b_name, " is ",
                  b.rows, " x ", b.cols);
}

// A flat array of n elements.
template <class T>
void require_array(const T* data, std::int64_t n, const char* name) {
  KERNELS_REQUIRE(n >= 0, name, " has negative length ", n);
  KERNELS_REQUIRE(data != nullptr || n == 0, name, " is null but has length ", n);
}

// The shape fields and pointers of a compressed pattern with `outer` slices (CSR rows, CSC columns).
// Null offsets are accepted only for zero slices, where no kernel reads them.
inline void require_compressed(std::int64_t rows, std::int64_t cols, std::int64_t nnz, std::int64_t outer,
                               const offset_t* offsets, const index_t* indices, const char* name) {
  KERNELS_REQUIRE(rows >= 0 && cols >= 0 && nnz >= 0,
                  name, " has a negative size: ", rows, " x ", cols, ", nnz ", nnz);
  KERNELS_REQUIRE(offsets != nullptr || outer == 0, name, " has no offsets");
  KERNELS_REQUIRE(indices != nullptr || nnz == 0, name, " has ", nnz, " nonzeros but no indices");
}

inline void require_csr(const CsrPattern& a, const char* name) {
  require_compressed(a.rows, a.cols, a.nnz, a.rows, a.offsets, a.indices, name);
}

inline void require_csc(const CscPattern& a, const char* name) {
  require_compressed(a.rows, a.cols, a.nnz, a.cols, a.offsets, a.row_indices, name);
  KERNELS_REQUIRE(a.csr_positions != nullptr || a.nnz == 0, name, " has no csr_positions");
}

// SDDMM: A (rows x k) and B (cols x k) of a rows x cols pattern (the pattern itself is checked apart).
inline void require_sddmm_operands(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b) {
  require_matrix(a, "A");
  require_matrix(b, "B");
  KERNELS_REQUIRE(a.rows == pattern.rows, "A has ", a.rows, " rows, the pattern ", pattern.rows);
  KERNELS_REQUIRE(b.rows == pattern.cols, "B has ", b.rows, " rows, the pattern ", pattern.cols, " columns");
  KERNELS_REQUIRE(a.cols == b.cols, "A has ", a.cols, " columns, B has ", b.cols);
}

// The fused output layer's optional bf16 copy of W: W's shape when it is given.
inline void require_bf16_copy(MatrixView<const bfloat16> copy, MatrixView<const float> w) {
  if (copy.data == nullptr) return;
  require_matrix(copy, "W bf16 copy");
  require_same_shape(copy, w, "W bf16 copy", "W");
}

// Sparse x dense: C (out_rows x k) = S (out_rows x inner) . B (inner x k).
// B's element type TB: fp32, or bfloat16 (a bf16 table).
template <class TB>
void require_spmm_operands(std::int64_t out_rows, std::int64_t inner, MatrixView<const TB> b, MatrixView<float> c) {
  require_matrix(b, "B");
  require_matrix(c, "C");
  KERNELS_REQUIRE(b.rows == inner, "B has ", b.rows, " rows, the sparse operand's inner size is ", inner);
  KERNELS_REQUIRE(c.rows == out_rows, "C has ", c.rows, " rows, expected ", out_rows);
  KERNELS_REQUIRE(c.cols == b.cols, "C has ", c.cols, " columns, B has ", b.cols);
}

// C (m x n) = op(A) (m x depth) . op(B) (depth x n).
struct GemmShape {
  std::int64_t m, n, depth;
};

inline GemmShape require_gemm_operands(bool transpose_a, bool transpose_b, MatrixView<const float> a,
                                       MatrixView<const float> b, MatrixView<float> c) {
  require_matrix(a, "A");
  require_matrix(b, "B");
  require_matrix(c, "C");
  const std::int64_t m = transpose_a ? a.cols : a.rows;
  const std::int64_t depth = transpose_a ? a.rows : a.cols;
  const std::int64_t b_depth = transpose_b ? b.cols : b.rows;
  const std::int64_t n = transpose_b ? b.rows : b.cols;
  KERNELS_REQUIRE(depth == b_depth, "op(A) is ", m, " x ", depth, " but op(B) is ", b_depth, " x ", n);
  KERNELS_REQUIRE(c.rows == m && c.cols == n, "C is ", c.rows, " x ", c.cols, ", expected ", m, " x ", n);
  return {m, n, depth};
}

inline void require_dropout_rate(float p) {
  KERNELS_REQUIRE(p >= 0.0f && p < 1.0f, "dropout rate p=", p, " must lie in [0, 1)");
}

// ---- optimizer updates: n weights, their gradients and state buffers of n elements each ----

// velocity may be null only without momentum (plain SGD).
inline void require_sgd_update(const float* params, const float* grads, const float* velocity, std::int64_t n,
                               const SgdParams& p) {
  require_array(params, n, "params");
  require_array(grads, n, "grads");
  KERNELS_REQUIRE(velocity != nullptr || n == 0 || p.momentum == 0.0f,
                  "momentum ", p.momentum, " needs a velocity buffer");
  KERNELS_REQUIRE(p.momentum >= 0.0f, "momentum ", p.momentum, " must be >= 0");
}

inline void require_adam_update(const float* params, const float* grads, const float* m, const float* v,
                                std::int64_t n, const AdamParams& p) {
  require_array(params, n, "params");
  require_array(grads, n, "grads");
  require_array(m, n, "m");
  require_array(v, n, "v");
  KERNELS_REQUIRE(p.step >= 1, "Adam step ", p.step, " must count from 1");
  KERNELS_REQUIRE(p.beta1 >= 0.0f && p.beta1 < 1.0f && p.beta2 >= 0.0f && p.beta2 < 1.0f,
                  "Adam betas ", p.beta1, ", ", p.beta2, " must lie in [0, 1)");
}

inline void require_rprop_update(const float* params, const float* grads, const float* previous_grads,
                                 const float* step_sizes, std::int64_t n, const RpropParams& p) {
  require_array(params, n, "params");
  require_array(grads, n, "grads");
  require_array(previous_grads, n, "previous_grads");
  require_array(step_sizes, n, "step_sizes");
  KERNELS_REQUIRE(p.eta_minus > 0.0f && p.eta_minus < 1.0f && p.eta_plus > 1.0f,
                  "RProp needs 0 < eta_minus < 1 < eta_plus, got ", p.eta_minus, ", ", p.eta_plus);
  KERNELS_REQUIRE(p.step_min > 0.0f && p.step_min <= p.step_max,
                  "RProp needs 0 < step_min <= step_max, got ", p.step_min, ", ", p.step_max);
}

// ---- dense losses and rows by index ----
inline void require_loss(const char* op, MatrixView<const float> x, MatrixView<const float> target,
                         MatrixView<float> grad) {
  require_matrix(x, "input");
  if (target.data != nullptr || target.rows != 0) {
    require_matrix(target, "target");
    KERNELS_REQUIRE(target.rows == x.rows && target.cols == x.cols,
                    op, ": target (", target.rows, " x ", target.cols, ") is not (", x.rows, " x ", x.cols, ")");
  }
  if (grad.data != nullptr) {
    require_matrix(grad, "grad");
    KERNELS_REQUIRE(grad.rows == x.rows && grad.cols == x.cols,
                    op, ": grad (", grad.rows, " x ", grad.cols, ") is not (", x.rows, " x ", x.cols, ")");
  }
}

inline void require_index_rows(const char* op, MatrixView<const float> rows_in, const index_t* indices, std::int64_t count,
                               MatrixView<float> rows_out) {
  require_matrix(rows_in, "source");
  require_matrix(rows_out, "destination");
  require_array(indices, count, "indices");
  KERNELS_REQUIRE(rows_in.cols == rows_out.cols,
                  op, ": source has ", rows_in.cols, " columns, destination ", rows_out.cols);
}

// ---- mini-batches formed on the device ----
inline void require_gather_rows(const index_t* rows, index_t count, const offset_t* out_offsets) {
  KERNELS_REQUIRE(count >= 0, "gather_rows: negative row count ", count);
  require_array(rows, count, "rows");
  KERNELS_REQUIRE(out_offsets != nullptr, "gather_rows: out_offsets is null");
}

inline void require_csr_to_csc(const CsrPattern& a, const offset_t* csc_offsets, const index_t* csc_rows,
                               const offset_t* csc_positions, const offset_t* scratch) {
  KERNELS_REQUIRE(csc_offsets != nullptr && scratch != nullptr, "csr_to_csc: csc_offsets or scratch is null");
  require_array(csc_rows, a.nnz, "csc_rows");
  require_array(csc_positions, a.nnz, "csc_positions");
}

// A fused update of a (rows x cols) block of weights: the state buffers its rule needs.
inline void require_weight_update(const WeightUpdate& u, MatrixView<float> weights) {
  require_matrix(weights, "weights");
  const bool empty = weights.rows == 0 || weights.cols == 0;
  const int needed = required_states(u);
  if (u.rule == WeightUpdate::Rule::Sgd) {
    KERNELS_REQUIRE(empty || needed == 0 || u.state0 != nullptr,
                    "momentum ", u.constants.sgd.momentum, " needs a velocity buffer");
  }
  KERNELS_REQUIRE(empty || ((needed < 1 || u.state0 != nullptr) && (needed < 2 || u.state1 != nullptr)),
                  rule_name(u), " needs ", state_description(u));
}

}  // namespace kernels::detail
