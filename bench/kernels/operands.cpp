#include "operands.h"

#include <algorithm>

namespace bench {

bool op_selected(const RunSettings& settings, const std::string& op) {
  return settings.op_filter.empty() ||
         std::find(settings.op_filter.begin(), settings.op_filter.end(), op) != settings.op_filter.end();
}

std::int64_t dense_gemm_rows(const HostSparse& a, std::int64_t max_bytes) {
  const std::int64_t row_bytes = padded_ld(a.cols) * static_cast<std::int64_t>(sizeof(float));
  return std::clamp<std::int64_t>(max_bytes / row_bytes, 1, a.rows);
}

HostOperands make_operands(const std::string& problem, const HostSparse& a, int k, int rotation) {
  HostOperands ops;
  ops.problem = problem;
  ops.a = &a;
  ops.k = k;
  for (int r = 0; r < rotation; ++r) {
    ops.by_col.push_back(random_matrix(a.cols, k, 100 + static_cast<std::uint64_t>(r)));
    ops.by_row.push_back(random_matrix(a.rows, k, 200 + static_cast<std::uint64_t>(r)));
  }
  ops.col_bias = random_vector(a.cols, 300);
  ops.row_bias = random_vector(k, 301);
  return ops;
}

HostMatrix densify_rows(const HostSparse& a, std::int64_t first, std::int64_t rows) {
  HostMatrix x = zero_matrix(rows, a.cols);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (kernels::offset_t p = a.offsets[first + r]; p < a.offsets[first + r + 1]; ++p) {
      x.data[static_cast<std::size_t>(r * x.ld + a.indices[p])] = a.values[p];
    }
  }
  return x;
}

}  // namespace bench
