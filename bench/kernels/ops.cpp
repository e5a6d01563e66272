#include "ops.h"

#include <stdexcept>

namespace bench {

const std::vector<Op>& all_ops() {
  static const std::vector<Op> ops = {Op::Spmm,           Op::SpmmTransposed, Op::Sddmm,     Op::SddmmSquaredError,
                                      Op::BiasActivation, Op::ColumnSums,     Op::DenseGemm, Op::AdamUpdate};
  return ops;
}

std::string op_name(Op op) {
  switch (op) {
    case Op::Spmm: return "spmm";
    case Op::SpmmTransposed: return "spmm_transposed";
    case Op::Sddmm: return "sddmm";
    case Op::SddmmSquaredError: return "sddmm_squared_error";
    case Op::BiasActivation: return "bias_activation";
    case Op::ColumnSums: return "column_sums";
    case Op::DenseGemm: return "dense_gemm";
    case Op::AdamUpdate: return "adam_update";
  }
  throw std::invalid_argument("unknown op");
}

std::int64_t autorec_parameter_count(const ProblemSize& s) { return 2 * s.cols * s.k + s.cols + s.k; }

OpCost op_cost(Op op, const ProblemSize& s) {
  const double m = static_cast<double>(s.rows), n = static_cast<double>(s.cols);
  const double nnz = static_cast<double>(s.nnz), k = static_cast<double>(s.k);
  constexpr double f = 4.0, offset = 8.0, index = 4.0;  // bytes: float, 64-bit offset, 32-bit index
  const double sparse_flops = 2.0 * nnz * k;
  const double gathered = nnz * k * f;  // one k-vector per nonzero
  switch (op) {
    case Op::Spmm: return {sparse_flops, nnz * (index + f) + (m + 1) * offset + gathered + m * k * f};
    // CSC: row index, CSR position (64-bit) and the value read through it.
    case Op::SpmmTransposed: return {sparse_flops, nnz * (index + offset + f) + (n + 1) * offset + gathered + n * k * f};
    case Op::Sddmm: return {sparse_flops, nnz * (index + f) + (m + 1) * offset + gathered + m * k * f};
    // + the ratings and the output bias gathered per nonzero.
    case Op::SddmmSquaredError:
      return {sparse_flops, nnz * (index + 3 * f) + (m + 1) * offset + gathered + m * k * f};
    case Op::BiasActivation: return {0.0, 3.0 * m * k * f + k * f};  // read Z, write Z and H
    case Op::ColumnSums: return {0.0, m * k * f + k * f};
    case Op::DenseGemm: return {2.0 * m * n * k, (m * n + n * k + m * k) * f};
    case Op::AdamUpdate: return {0.0, 7.0 * f * static_cast<double>(autorec_parameter_count(s))};  // r: p g m v, w: p m v
  }
  throw std::invalid_argument("unknown op");
}

}  // namespace bench
