// Rows by index (see cpu.h): the embedding lookup and its deterministic backward.
//   index_select_rows  grid-stride over the output elements: out(r, j) = table(indices[r], j).
//   index_add_rows     no float atomics: the index list is read as a CSR pattern (source row r has one
//                      nonzero, in column indices[r]; out-of-range indices go to an extra column that is
//                      never read) and csr_to_csc groups the source rows by destination, ascending within
//                      each group; then one block per destination row sums its group in that order and
//                      adds alpha * sum: the CPU kernel's order of additions, so the same bits.
#include "common.cuh"
#include "kernels/batching.h"
#include "kernels/cuda.h"

namespace kernels::cuda {
namespace {

constexpr int kColumnThreads = 128;

__global__ void index_select_kernel(MatrixView<const float> table, const index_t* __restrict__ indices,
                                    MatrixView<float> out) {
  const detail::GridStride g = detail::grid_stride();
  const std::int64_t n = out.rows * out.cols;
  for (std::int64_t e = g.first; e < n; e += g.stride) {
    const std::int64_t r = e / out.cols, j = e - r * out.cols;
    const index_t from = __ldg(indices + r);
    out(r, j) = from >= 0 && from < table.rows ? __ldg(&table(from, j)) : NAN;
  }
}

// The index list as a (count x out_rows + 1) CSR pattern: row r's one nonzero in column indices[r], or
// in the spare column out_rows when the index is out of range.
__global__ void index_pattern_kernel(const index_t* __restrict__ indices, std::int64_t count, index_t out_rows,
                                     offset_t* __restrict__ row_offsets, index_t* __restrict__ columns) {
  const detail::GridStride g = detail::grid_stride();
  for (std::int64_t r = g.first; r <= count; r += g.stride) {
    row_offsets[r] = r;
    if (r < count) {
      const index_t d = __ldg(indices + r);
      columns[r] = d >= 0 && d < out_rows ? d : out_rows;
    }
  }
}

// No __launch_bounds__(kColumnThreads): with it ptxas capped this kernel at 32 registers on sm_90 and
// spilled 4 bytes; without it 34 registers, no spill.
__global__ void grouped_row_sums_kernel(MatrixView<const float> src,
                                                                          const offset_t* __restrict__ group_offsets,
                                                                          const index_t* __restrict__ group_rows,
                                                                          float alpha, MatrixView<float> out) {
  const float* __restrict__ source = src.data;
  const std::int64_t source_ld = src.ld;
  for (std::int64_t d = blockIdx.x; d < out.rows; d += gridDim.x) {
    const offset_t begin = __ldg(group_offsets + d), end = __ldg(group_offsets + d + 1);
    if (begin == end) continue;
    float* target = out.row(d);
    for (std::int64_t j = threadIdx.x; j < out.cols; j += blockDim.x) {
      float sum = 0.0f;
      for (offset_t q = begin; q < end; ++q) sum += __ldg(source + std::int64_t{__ldg(group_rows + q)} * source_ld + j);
      target[j] += alpha * sum;
    }
  }
}

// The parts of index_add_rows' scratch (all in offset_t slots; the index_t arrays use one slot each).
struct IndexAddParts {
  offset_t* row_offsets;    // count + 1
  index_t* columns;         // count
  offset_t* group_offsets;  // out_rows + 2
  index_t* group_rows;      // count
  offset_t* positions;      // count
  offset_t* csc_scratch;    // csr_to_csc_scratch(out_rows + 1)
};

IndexAddParts split_scratch(offset_t* scratch, std::int64_t count, std::int64_t out_rows) {
  IndexAddParts p{};
  p.row_offsets = scratch;
  p.columns = reinterpret_cast<index_t*>(p.row_offsets + count + 1);
  p.group_offsets = p.row_offsets + 2 * count + 1;
  p.group_rows = reinterpret_cast<index_t*>(p.group_offsets + out_rows + 2);
  p.positions = p.group_offsets + out_rows + 2 + count;
  p.csc_scratch = p.positions + count;
  return p;
}

}  // namespace

void index_select_rows(MatrixView<const float> table, const index_t* indices, MatrixView<float> out,
                       cudaStream_t stream) {
  detail::require_index_rows("index_select_rows", table, indices, out.rows, out);
  if (out.rows * out.cols == 0) return;
  cuda::launch(dim3(detail::grid_stride_blocks(out.rows * out.cols)), dim3(detail::kFlatThreads), 0, stream,
               index_select_kernel, table, indices, out);
}

std::int64_t index_add_rows_scratch(std::int64_t count, std::int64_t out_rows) {
  return (count + 1) + count + (out_rows + 2) + count + count + csr_to_csc_scratch(static_cast<index_t>(out_rows + 1));
}

void index_add_rows(MatrixView<const float> src, const index_t* indices, float alpha, MatrixView<float> out,
                    offset_t* scratch, cudaStream_t stream) {
  detail::require_index_rows("index_add_rows", src, indices, src.rows, out);
  KERNELS_REQUIRE(src.rows < (std::int64_t{1} << 31) - 1 && out.rows < (std::int64_t{1} << 31) - 2,
                  "index_add_rows: ", src.rows, " source or ", out.rows, " destination rows exceed index_t");
  if (src.rows == 0 || out.rows == 0 || out.cols == 0) return;
  KERNELS_REQUIRE(scratch != nullptr, "index_add_rows: scratch is null");
  const IndexAddParts p = split_scratch(scratch, src.rows, out.rows);
  const auto count = static_cast<index_t>(src.rows);
  const auto out_rows = static_cast<index_t>(out.rows);
  cuda::launch(dim3(detail::grid_stride_blocks(src.rows + 1)), dim3(detail::kFlatThreads), 0, stream,
               index_pattern_kernel, indices, src.rows, out_rows, p.row_offsets, p.columns);
  const CsrPattern pattern{count, static_cast<index_t>(out_rows + 1), src.rows, p.row_offsets, p.columns};
  csr_to_csc(pattern, p.group_offsets, p.group_rows, p.positions, p.csc_scratch, stream);
  const unsigned blocks = out.rows < detail::kMaxGridStrideBlocks * 8 ? static_cast<unsigned>(out.rows)
                                                                       : detail::kMaxGridStrideBlocks * 8;
  cuda::launch(dim3(blocks), dim3(kColumnThreads), 0, stream, grouped_row_sums_kernel, src,
               static_cast<const offset_t*>(p.group_offsets), static_cast<const index_t*>(p.group_rows), alpha, out);
}

}  // namespace kernels::cuda
