// Work partitioning shared by the CPU kernels (private to kernels/cpu).
//
// Sums that return double must not depend on the number of OpenMP threads, so they never use an
// OpenMP reduction (whose combining order follows the thread count). Instead [0, n) is cut into a
// number of chunks that depends on n only; each chunk is summed serially into its own slot of a
// stack array and the slots are added in index order. Same input, same bits, for any thread count.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/views.h"

namespace kernels::cpu::detail {

// Enough chunks for dynamic load balance on a many-core host, small enough for a stack array.
inline constexpr std::int64_t kMaxChunks = 256;

// Number of chunks for n work items of at least min_chunk items each: a function of n only.
inline std::int64_t chunk_count(std::int64_t n, std::int64_t min_chunk) {
  return std::clamp<std::int64_t>((n + min_chunk - 1) / min_chunk, 1, kMaxChunks);
}

// Calls body(begin, end) for each chunk of [0, n), chunks spread over the threads.
template <class Body>
void parallel_chunks(std::int64_t n, std::int64_t min_chunk, Body&& body) {
  if (n <= 0) return;
  const std::int64_t chunks = chunk_count(n, min_chunk);
#pragma omp parallel for schedule(dynamic, 1) if (chunks > 1)
  for (std::int64_t c = 0; c < chunks; ++c) body(n * c / chunks, n * (c + 1) / chunks);
}

// sum over the chunks of chunk_sum(begin, end), combined in a fixed order (see the file comment).
template <class ChunkSum>
double deterministic_sum(std::int64_t n, std::int64_t min_chunk, ChunkSum&& chunk_sum) {
  if (n <= 0) return 0.0;
  const std::int64_t chunks = chunk_count(n, min_chunk);
  double partial[kMaxChunks];
#pragma omp parallel for schedule(dynamic, 1) if (chunks > 1)
  for (std::int64_t c = 0; c < chunks; ++c) partial[c] = chunk_sum(n * c / chunks, n * (c + 1) / chunks);
  double total = 0.0;
  for (std::int64_t c = 0; c < chunks; ++c) total += partial[c];
  return total;
}

// Walks the nonzeros [begin, end) of a CSR matrix row by row: row_body(i, p_begin, p_end) for each
// row i that the range touches (p_begin may equal p_end for empty rows). Splitting work by nonzeros
// rather than rows balances heavy-tailed rows.
template <class RowBody>
void for_rows_in_range(const offset_t* offsets, index_t rows, offset_t begin, offset_t end, RowBody&& row_body) {
  // The last row starting at or before `begin` is the non-empty row that contains it.
  index_t i = static_cast<index_t>(std::upper_bound(offsets, offsets + rows + 1, begin) - offsets - 1);
  for (offset_t p = begin; p < end; ++i) {
    const offset_t row_end = std::min(offsets[i + 1], end);
    row_body(i, p, row_end);
    p = row_end;
  }
}

}  // namespace kernels::cpu::detail
