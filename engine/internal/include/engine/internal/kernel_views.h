// The engine's public views (engine/matrix_view.h, SparseMatrix's CsrView / CscView, engine::bfloat16)
// as the kernels' views, where the engine dispatches to a backend. The two vocabularies have the same
// layout (checked below), so each conversion copies a few fields and no data.
#pragma once

#include <type_traits>

#include "engine/bf16_table.h"
#include "engine/matrix_view.h"
#include "engine/sparse_matrix.h"
#include "engine/tensor.h"
#include "kernels/bfloat16.h"
#include "kernels/views.h"

namespace engine {

static_assert(std::is_same_v<index_t, kernels::index_t> && std::is_same_v<offset_t, kernels::offset_t>,
              "engine and kernels must agree on index widths");
static_assert(sizeof(bfloat16) == sizeof(kernels::bfloat16) && alignof(bfloat16) == alignof(kernels::bfloat16) &&
                  std::is_standard_layout_v<bfloat16> && std::is_standard_layout_v<kernels::bfloat16>,
              "engine::bfloat16 stores the bits the kernels read");

// The kernels' element type for an engine element type (bfloat16 is the only one that differs).
template <class T>
struct KernelElement {
  using type = T;
};
template <>
struct KernelElement<bfloat16> {
  using type = kernels::bfloat16;
};
template <>
struct KernelElement<const bfloat16> {
  using type = const kernels::bfloat16;
};

template <class T>
kernels::MatrixView<typename KernelElement<T>::type> kernel_view(MatrixView<T> m) {
  return {reinterpret_cast<typename KernelElement<T>::type*>(m.data), m.rows, m.cols, m.ld};
}
inline kernels::bfloat16* kernel_pointer(bfloat16* p) { return reinterpret_cast<kernels::bfloat16*>(p); }

inline kernels::CsrPattern kernel_pattern(const CsrView& v) { return {v.rows, v.cols, v.nnz, v.offsets, v.indices}; }
inline kernels::CscPattern kernel_pattern(const CscView& v) {
  return {v.rows, v.cols, v.nnz, v.offsets, v.row_indices, v.csr_positions};
}

// Short forms for the dispatch sites (engine/src/ops.cpp): the kernels' view of an engine operand.
inline kernels::MatrixView<const float> kview(ConstTensorView t) { return kernel_view(t.matrix()); }
inline kernels::MatrixView<float> kview(TensorView t) { return kernel_view(t.matrix()); }
inline kernels::MatrixView<const kernels::bfloat16> kview(Bf16TableView t) { return kernel_view(t.matrix()); }
inline kernels::CsrPattern kcsr(const SparseMatrix& m) { return kernel_pattern(m.csr()); }
inline kernels::CscPattern kcsc(const SparseMatrix& m) { return kernel_pattern(m.csc()); }

}  // namespace engine
