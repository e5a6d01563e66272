// Rows by index: the embedding lookup (index_select_rows) and its backward (index_add_rows). The
// backward groups the source rows by destination with a stable counting sort, then sums each group in
// ascending source order before adding it: deterministic for any thread count, and the same order of
// float additions as the CUDA kernel (kernels/cuda/indexing.cu), so both give the same bits.
#include <vector>

#include "kernels/cpu.h"
#include "parallel.h"
#include "preconditions.h"

namespace kernels::cpu {
namespace {

constexpr std::int64_t kRowsPerChunk = 64;

void require_indices_in_range(const char* op, const index_t* indices, std::int64_t count, std::int64_t rows) {
  for (std::int64_t r = 0; r < count; ++r) {
    KERNELS_REQUIRE(indices[r] >= 0 && indices[r] < rows,
                    op, ": index ", indices[r], " at position ", r, " is outside [0, ", rows, ")");
  }
}

}  // namespace

void index_select_rows(MatrixView<const float> table, const index_t* indices, MatrixView<float> out) {
  kernels::detail::require_index_rows("index_select_rows", table, indices, out.rows, out);
  require_indices_in_range("index_select_rows", indices, out.rows, table.rows);
  detail::parallel_chunks(out.rows, kRowsPerChunk, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) {
      const float* from = table.row(indices[r]);
      float* to = out.row(r);
      for (std::int64_t j = 0; j < out.cols; ++j) to[j] = from[j];
    }
  });
}

void index_add_rows(MatrixView<const float> src, const index_t* indices, float alpha, MatrixView<float> out) {
  kernels::detail::require_index_rows("index_add_rows", src, indices, src.rows, out);
  require_indices_in_range("index_add_rows", indices, src.rows, out.rows);
  // Stable counting sort of the source rows by destination: order[first[d] .. first[d + 1]) ascending.
  std::vector<std::int64_t> first(static_cast<std::size_t>(out.rows) + 1, 0);
  for (std::int64_t r = 0; r < src.rows; ++r) ++first[static_cast<std::size_t>(indices[r]) + 1];
  for (std::int64_t d = 0; d < out.rows; ++d) first[d + 1] += first[d];
  std::vector<std::int64_t> cursor(first.begin(), first.end() - 1);
  std::vector<std::int64_t> order(static_cast<std::size_t>(src.rows));
  for (std::int64_t r = 0; r < src.rows; ++r) order[static_cast<std::size_t>(cursor[indices[r]]++)] = r;
  detail::parallel_chunks(out.rows, kRowsPerChunk, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t d = begin; d < end; ++d) {
      if (first[d] == first[d + 1]) continue;
      float* to = out.row(d);
      for (std::int64_t j = 0; j < out.cols; ++j) {
        float sum = 0.0f;
        for (std::int64_t q = first[d]; q < first[d + 1]; ++q) sum += src(order[q], j);
        to[j] += alpha * sum;
      }
    }
  });
}

}  // namespace kernels::cpu
