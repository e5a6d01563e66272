// CSR SpMM: C (m x k) = alpha * A (m x n, CSR) . B (n x k) + beta * C, and the row kernel behind it
// that spmm_transposed.cu reuses with the CSC twin.
//
// Mapping. A block of 256 threads owns 256 / G consecutive output rows and one tile of G * V columns
// (grid.y walks the tiles along k). Each row gets a group of G lanes (G = 4 .. 32, the smallest that
// covers k in one tile, so small k packs several rows into a warp); each lane owns V adjacent columns
// (V = 4: float4 loads and stores when B and C are 16-byte aligned with ld % 4 == 0, else V = 1).
// A nonzero thus costs one coalesced read of G * V contiguous floats of a B row.
//
// Staging. A group's lanes load G nonzeros (index and value) at once, one each, and stage them in
// shared memory; then every lane walks the G staged nonzeros. The index/value loads are coalesced and
// independent of the B loads that follow, which the unrolled walk keeps several of in flight.
//
// Load balance. Rating rows are heavy-tailed. A row longer than kLongRowChunks * G nonzeros would stall
// its warp (and with it the block), so such rows are skipped in the per-row phase. Then either the
// whole block processes them, one at a time (all 256 / G groups take interleaved chunks of the row and
// their partial sums are added in a fixed order through shared memory), or, when the caller gives
// scratch (spmm's split mode), they are cut into segments of kLongSegment nonzeros spread over many
// blocks, each writing its partial sums, which a last kernel adds per row in segment order: a 30,000-
// rating item row then runs on dozens of SMs instead of one. No atomics: results are deterministic.
//
// Tables. B is fp32 or, for `--precision bf16`, a bf16 table (TB = bfloat16): a lane then loads its V
// columns as V / 2 bf16x2 words (8 bytes for V = 4) and widens them with a shift and a mask; the sums
// are fp32 either way. The update epilogue writes the new weight's bf16 copy beside it when the
// WeightUpdate carries one, so the copy never needs its own conversion pass.
//
// Epilogue. The finished sums either go to C (alpha * sum + beta * C) or, for the fused optimizer
// (spmm_transposed_update, kUpdate), are the gradient of the weights in C's place: each output element
// takes its optimizer step right where its sum is complete, so the gradient never reaches memory.
#include "block_scan.cuh"
#include "common.cuh"
#include "kernels/cuda.h"
#include "sparse_rows.h"

namespace kernels::cuda {
namespace {

constexpr int kSpmmThreads = 256;
// A row with more chunks (of G nonzeros) than this is shared by the whole block.
constexpr int kLongRowChunks = 16;
// Nonzeros per block task when long rows are split over blocks.
constexpr offset_t kLongSegment = 1024;

template <class TB>
struct SpmmParams {
  const offset_t* __restrict__ offsets;    // (rows + 1)
  const index_t* __restrict__ indices;     // (nnz) the B row each nonzero selects
  const offset_t* __restrict__ positions;  // (nnz) where a nonzero's value lives, or null: at q
  const float* __restrict__ values;
  const TB* __restrict__ b;     // (inner, k), row-major, ld ldb
  float* __restrict__ c;        // (rows, k), row-major, ld ldc
  std::int64_t ldb;
  std::int64_t ldc;
  std::int64_t rows;
  std::int64_t k;
  float alpha;
  float beta;
  WeightUpdate update;  // kUpdate only: C holds the weights, alpha scales their gradient
  // Split mode (null first_segment: long rows stay in their block): the long rows' segments numbered
  // (rows + 1), and each segment's partial sums (segments x partial_ld).
  const offset_t* first_segment = nullptr;
  float* partials = nullptr;
  std::int64_t partial_ld = 0;
  offset_t max_segments = 0;  // the segments kernel's grid: an upper bound from the nonzero count
};

// One optimizer step, behind a single call site whatever the number of rules (kernels/optimizer_rules.h):
// inlined, every rule's sqrt / division slow paths became calls in this kernel, and their ABI made
// ptxas spill once the list grew past two rules.
#if defined(KERNELS_SIMT)
#define SPMM_UPDATE_NOINLINE  // the emulator compiles device code as host C++: a plain function
#else
#define SPMM_UPDATE_NOINLINE __noinline__
#endif
__device__ SPMM_UPDATE_NOINLINE float fused_update(WeightUpdate::Rule rule, const WeightUpdate::Constants& constants,
                                           float* state0, float* state1, float w, float g, std::int64_t i) {
  WeightUpdate u;
  u.rule = rule;
  u.constants = constants;
  u.state0 = state0;
  u.state1 = state1;
  return detail::update_weight(u, w, g, i);
}

// The epilogue for one finished element: C = alpha * sum + beta * C, or (kUpdate) one optimizer step of
// weight C with gradient alpha * sum. Lazy updates skip the rows with no nonzero (`touched` false).
template <bool kUpdate, class TB>
__device__ __forceinline__ void finish_element(const SpmmParams<TB>& p, std::int64_t row, std::int64_t column,
                                               float sum, bool touched) {
  const std::int64_t at = row * p.ldc + column;
  if constexpr (kUpdate) {
    if (touched || !p.update.skip_untouched_rows) {
      const float w =
          fused_update(p.update.rule, p.update.constants, p.update.state0, p.update.state1, p.c[at], p.alpha * sum, at);
      p.c[at] = w;
      if (p.update.bf16_copy != nullptr) p.update.bf16_copy[at] = to_bfloat16(w);
    }
  } else {
    p.c[at] = detail::blend(sum, p.alpha, p.beta, p.c + at);
  }
}

// acc += weight * b_row[0 .. V), b_row fp32 or bf16 (V = 4: one float4 or one 8-byte bf16x2 pair load).
template <int V, class TB>
__device__ __forceinline__ void add_scaled(float (&acc)[V], float weight, const TB* __restrict__ b_row) {
  if constexpr (V == 4) {
    const float4 x = detail::load4(b_row);
    acc[0] += weight * x.x;
    acc[1] += weight * x.y;
    acc[2] += weight * x.z;
    acc[3] += weight * x.w;
  } else {
    acc[0] += weight * detail::load1(b_row);
  }
}

// C(row, column .. column + V) = alpha * acc + beta * C(...), or the optimizer step (kUpdate).
template <int V, bool kUpdate, class TB>
__device__ __forceinline__ void store_output(const SpmmParams<TB>& p, std::int64_t row, std::int64_t column,
                                             const float (&acc)[V], bool touched) {
  if constexpr (V == 4 && !kUpdate) {
    float* out = p.c + row * p.ldc + column;
    float4 value = make_float4(p.alpha * acc[0], p.alpha * acc[1], p.alpha * acc[2], p.alpha * acc[3]);
    if (p.beta != 0.0f) {
      const float4 old = *reinterpret_cast<const float4*>(out);
      value.x += p.beta * old.x;
      value.y += p.beta * old.y;
      value.z += p.beta * old.z;
      value.w += p.beta * old.w;
    }
    *reinterpret_cast<float4*>(out) = value;
  } else {
    // Not unrolled: one call site of the optimizer rule (its sqrt slow path is a call whose ABI made
    // sm_80 spill when four copies were inlined).
    KERNELS_UNROLL(1)
    for (int v = 0; v < V; ++v) finish_element<kUpdate, TB>(p, row, column + v, acc[v], touched);
  }
}

// Shared-memory staging area: one (index, value) slot per thread.
struct Stage {
  index_t* index;
  float* value;
};

// acc += sum of value(q) * B(indices[q], column .. column + V) over q = first + chunk * stride + j,
// chunk < chunks, j < G, q < end. `chunks` must be equal across the warp (it syncs the warp per chunk).
template <int G, int V, class TB>
__device__ __forceinline__ void gather_chunks(const SpmmParams<TB>& p, Stage stage, offset_t first, offset_t end,
                                              offset_t stride, int chunks, std::int64_t column, float (&acc)[V]) {
  const int group_lane = static_cast<int>(threadIdx.x) % G;
  const int group_first = static_cast<int>(threadIdx.x) - group_lane;
  const bool in_tile = column < p.k;
  for (int chunk = 0; chunk < chunks; ++chunk) {
    const offset_t chunk_first = first + chunk * stride;
    const offset_t q = chunk_first + group_lane;
    index_t index = 0;
    float value = 0.0f;
    if (q < end) {
      index = __ldg(p.indices + q);
      value = __ldg(p.values + (p.positions != nullptr ? __ldg(p.positions + q) : q));
    }
    __syncwarp();  // the previous chunk's slots have been read
    stage.index[threadIdx.x] = index;
    stage.value[threadIdx.x] = value;
    __syncwarp();
    if (!in_tile || chunk_first >= end) continue;
    const int staged = end - chunk_first < G ? static_cast<int>(end - chunk_first) : G;  // a prefix of the slots
    KERNELS_UNROLL(4)
    for (int j = 0; j < staged; ++j) {
      const std::int64_t b_row = stage.index[group_first + j];
      add_scaled<V>(acc, stage.value[group_first + j], p.b + b_row * p.ldb + column);
    }
  }
}

// The sum over the nonzeros [begin, end) of one row by the whole block: group g takes chunks g,
// g + 256 / G, ...; the groups' partial sums are then added column by column in group order
// (deterministic). Returns the sum of column blockIdx.y * G * V + threadIdx.x on threads < G * V.
template <int G, int V, class TB>
__device__ __forceinline__ float block_row_sum(const SpmmParams<TB>& p, Stage stage, float* partials, offset_t begin,
                                               offset_t end, std::int64_t column) {
  constexpr int kTile = G * V;
  constexpr int kGroups = kSpmmThreads / G;
  const int group = static_cast<int>(threadIdx.x) / G;
  const int chunks = static_cast<int>((end - begin + kSpmmThreads - 1) / kSpmmThreads);
  float acc[V] = {};
  gather_chunks<G, V, TB>(p, stage, begin + offset_t{group} * G, end, kSpmmThreads, chunks, column, acc);
  for (int v = 0; v < V; ++v) partials[threadIdx.x * V + v] = acc[v];  // = partials[group][lane * V + v]
  __syncthreads();
  float sum = 0.0f;
  if (threadIdx.x < kTile) {
    for (int g = 0; g < kGroups; ++g) sum += partials[g * kTile + threadIdx.x];
  }
  __syncthreads();  // partials are reused by the next call
  return sum;
}

// One long row, by the whole block, finished into C.
template <int G, int V, bool kUpdate, class TB>
__device__ __forceinline__ void long_row(const SpmmParams<TB>& p, Stage stage, float* partials, std::int64_t row,
                                         std::int64_t column) {
  constexpr int kTile = G * V;
  const float sum = block_row_sum<G, V, TB>(p, stage, partials, __ldg(p.offsets + row), __ldg(p.offsets + row + 1), column);
  const std::int64_t out_column = std::int64_t{blockIdx.y} * kTile + threadIdx.x;
  if (threadIdx.x < kTile && out_column < p.k) finish_element<kUpdate, TB>(p, row, out_column, sum, true);
}

template <int G, int V, bool kUpdate, class TB>
__global__ void __launch_bounds__(kSpmmThreads) sparse_rows_kernel(const SpmmParams<TB> p) {
  constexpr int kGroups = kSpmmThreads / G;  // rows per block
  __shared__ index_t stage_index[kSpmmThreads];
  __shared__ float stage_value[kSpmmThreads];
  __shared__ float partials[kSpmmThreads * V];
  __shared__ bool is_long[kGroups];
  const Stage stage{stage_index, stage_value};

  const int group = static_cast<int>(threadIdx.x) / G;
  const std::int64_t column = std::int64_t{blockIdx.y} * (G * V) + (threadIdx.x % G) * V;
  const std::int64_t first_row = std::int64_t{blockIdx.x} * kGroups;
  const std::int64_t row = first_row + group;

  // Phase 1: every row of normal length, one group each.
  offset_t begin = 0;
  offset_t end = 0;
  if (row < p.rows) {
    begin = __ldg(p.offsets + row);
    end = __ldg(p.offsets + row + 1);
  }
  const offset_t chunks = (end - begin + G - 1) / G;
  const bool is_long_row = chunks > kLongRowChunks;
  if (threadIdx.x % G == 0) is_long[group] = is_long_row;
  float acc[V] = {};
  const int warp_chunks = detail::warp_max(is_long_row ? 0 : static_cast<int>(chunks));
  gather_chunks<G, V, TB>(p, stage, begin, end, G, warp_chunks, column, acc);
  if (row < p.rows && !is_long_row && column < p.k) store_output<V, kUpdate, TB>(p, row, column, acc, end > begin);
  __syncthreads();

  // Phase 2: the long rows, each by the whole block (unless the split-mode kernels below take them).
  if (p.first_segment != nullptr) return;
  for (int g = 0; g < kGroups; ++g) {
    if (is_long[g]) long_row<G, V, kUpdate, TB>(p, stage, partials, first_row + g, column);
  }
}

// ---- split mode: long rows cut into segments over many blocks ---------------------------------------

// The segments of row i: ceil(len / kLongSegment) for a long row, none otherwise.
struct LongSegments {
  const offset_t* offsets;
  offset_t long_row;  // more nonzeros than this: a long row
  __device__ offset_t operator()(std::int64_t i) const {
    const offset_t length = __ldg(offsets + i + 1) - __ldg(offsets + i);
    return length > long_row ? (length + kLongSegment - 1) / kLongSegment : 0;
  }
};

__global__ void __launch_bounds__(detail::kScanThreads) number_long_segments_kernel(const offset_t* offsets,
                                                                                    std::int64_t rows,
                                                                                    offset_t long_row,
                                                                                    offset_t* first_segment) {
  detail::single_block_scan(rows, 0, LongSegments{offsets, long_row}, first_segment);
}

// Block (segment, tile): the segment's partial sums of one column tile, into scratch.
template <int G, int V, class TB>
__global__ void __launch_bounds__(kSpmmThreads) long_segments_kernel(const SpmmParams<TB> p) {
  constexpr int kTile = G * V;
  __shared__ index_t stage_index[kSpmmThreads];
  __shared__ float stage_value[kSpmmThreads];
  __shared__ float partials[kSpmmThreads * V];
  const offset_t segment = blockIdx.x;
  if (segment >= p.first_segment[p.rows]) return;  // block-uniform: the grid is an upper bound
  const index_t row = detail::row_of_segment(p.first_segment, static_cast<index_t>(p.rows), segment);
  const offset_t row_end = __ldg(p.offsets + row + 1);
  const offset_t begin = __ldg(p.offsets + row) + (segment - p.first_segment[row]) * kLongSegment;
  const offset_t end = begin + kLongSegment < row_end ? begin + kLongSegment : row_end;
  const std::int64_t column = std::int64_t{blockIdx.y} * kTile + (threadIdx.x % G) * V;
  const float sum = block_row_sum<G, V, TB>(p, Stage{stage_index, stage_value}, partials, begin, end, column);
  const std::int64_t out_column = std::int64_t{blockIdx.y} * kTile + threadIdx.x;
  if (threadIdx.x < kTile && out_column < p.k) p.partials[segment * p.partial_ld + out_column] = sum;
}

// Block per row: a long row's segments added in order, then finished into C.
template <bool kUpdate, class TB>
__global__ void __launch_bounds__(kSpmmThreads) reduce_long_segments_kernel(const SpmmParams<TB> p) {
  const std::int64_t row = blockIdx.x;
  const offset_t first = p.first_segment[row];
  const offset_t last = p.first_segment[row + 1];
  if (first == last) return;
  for (std::int64_t column = threadIdx.x; column < p.k; column += kSpmmThreads) {
    float sum = 0.0f;
    for (offset_t s = first; s < last; ++s) sum += p.partials[s * p.partial_ld + column];
    finish_element<kUpdate, TB>(p, row, column, sum, true);
  }
}

template <int G, int V, bool kUpdate, class TB>
void launch_sparse_rows(const SpmmParams<TB>& p, cudaStream_t stream) {
  constexpr int kTile = G * V;
  const std::int64_t tiles = (p.k + kTile - 1) / kTile;
  KERNELS_REQUIRE(tiles <= 65535, "k=", p.k, " needs ", tiles, " column tiles, more than grid.y allows");
  const dim3 grid(blocks_for(p.rows, kSpmmThreads / G), static_cast<unsigned>(tiles));
  if (p.first_segment != nullptr) {
    cuda::launch(dim3(1), dim3(detail::kScanThreads), 0, stream, number_long_segments_kernel, p.offsets, p.rows,
                 offset_t{kLongRowChunks} * G, const_cast<offset_t*>(p.first_segment));
  }
  cuda::launch(grid, dim3(kSpmmThreads), 0, stream, sparse_rows_kernel<G, V, kUpdate, TB>, p);
  if (p.first_segment != nullptr && p.max_segments > 0) {
    KERNELS_REQUIRE(p.max_segments < (offset_t{1} << 31), "too many long-row segments for one grid");
    cuda::launch(dim3(static_cast<unsigned>(p.max_segments), static_cast<unsigned>(tiles)), dim3(kSpmmThreads), 0,
                 stream, long_segments_kernel<G, V, TB>, p);
    cuda::launch(dim3(static_cast<unsigned>(p.rows)), dim3(kSpmmThreads), 0, stream,
                 reduce_long_segments_kernel<kUpdate, TB>, p);
  }
}

// The narrowest group that covers k in one tile (at most a warp).
template <int V, bool kUpdate, class TB>
void launch_with_vector_width(const SpmmParams<TB>& p, cudaStream_t stream) {
  const std::int64_t vectors = (p.k + V - 1) / V;
  if (vectors <= 4) return launch_sparse_rows<4, V, kUpdate, TB>(p, stream);
  if (vectors <= 8) return launch_sparse_rows<8, V, kUpdate, TB>(p, stream);
  if (vectors <= 16) return launch_sparse_rows<16, V, kUpdate, TB>(p, stream);
  return launch_sparse_rows<32, V, kUpdate, TB>(p, stream);
}

// float4 lanes when B and C allow them, else one column per lane.
// (A bf16 table's 4-column lanes need 8-byte aligned rows: aligned_for_float4 on its bytes is stricter.)
template <bool kUpdate, class TB>
void launch_sparse_rows_kernel(const SpmmParams<TB>& p, MatrixView<const TB> b, cudaStream_t stream) {
  const bool vectorizable =
      p.k % 4 == 0 && detail::aligned_for_vector4(b.data, b.ld) && detail::aligned_for_float4(p.c, p.ldc);
  if (vectorizable) {
    launch_with_vector_width<4, kUpdate, TB>(p, stream);
  } else {
    launch_with_vector_width<1, kUpdate, TB>(p, stream);
  }
}

}  // namespace

namespace detail {

template <class TB>
void sparse_rows_times_dense(const SparseRows& s, std::int64_t inner, MatrixView<const TB> b, MatrixView<float> c,
                             float alpha, float beta, cudaStream_t stream) {
  require_spmm_operands(s.count, inner, b, c);
  if (c.rows == 0 || c.cols == 0) return;
  const SpmmParams<TB> p{s.offsets, s.indices, s.positions, s.values, b.data, c.data, b.ld,
                         c.ld,      c.rows,    c.cols,      alpha,    beta,     WeightUpdate{}};
  launch_sparse_rows_kernel<false>(p, b, stream);
}
template void sparse_rows_times_dense(const SparseRows&, std::int64_t, MatrixView<const float>, MatrixView<float>,
                                      float, float, cudaStream_t);

void sparse_rows_update(const SparseRows& s, std::int64_t inner, MatrixView<const float> b, float alpha,
                        MatrixView<float> w, const WeightUpdate& update, cudaStream_t stream) {
  require_weight_update(update, w);
  require_spmm_operands(s.count, inner, b, w);
  if (w.rows == 0 || w.cols == 0) return;
  const SpmmParams<float> p{s.offsets, s.indices, s.positions, s.values, b.data, w.data, b.ld,
                            w.ld,      w.rows,    w.cols,      alpha,    0.0f,     update};
  launch_sparse_rows_kernel<true>(p, b, stream);
}

}  // namespace detail

namespace {

template <class TB>
void csr_times_dense(const CsrPattern& a, const float* a_values, MatrixView<const TB> b, MatrixView<float> c,
                     float alpha, float beta, cudaStream_t stream) {
  detail::require_csr(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  const detail::SparseRows rows{a.rows, a.offsets, a.indices, nullptr, a_values};
  detail::sparse_rows_times_dense(rows, a.cols, b, c, alpha, beta, stream);
}

// Split mode: long rows' segments spread over blocks (see the file comment).
template <class TB>
void csr_times_dense_split(const CsrPattern& a, const float* a_values, MatrixView<const TB> b, MatrixView<float> c,
                           float alpha, float beta, const SpmmScratch& scratch, cudaStream_t stream) {
  detail::require_csr(a, "A");
  detail::require_array(a_values, a.nnz, "A values");
  detail::require_spmm_operands(a.rows, a.cols, b, c);
  KERNELS_REQUIRE(scratch.segment_offsets != nullptr && scratch.partials != nullptr, "spmm: scratch is null");
  if (c.rows == 0 || c.cols == 0) return;
  const SpmmScratchSize need = spmm_scratch(a.rows, a.nnz, c.cols);
  SpmmParams<TB> p{a.offsets, a.indices, nullptr, a_values, b.data, c.data, b.ld, c.ld, c.rows, c.cols, alpha, beta,
                   WeightUpdate{}};
  p.first_segment = scratch.segment_offsets;
  p.partials = scratch.partials;
  p.partial_ld = need.partial_ld;
  p.max_segments = need.partials / need.partial_ld;
  launch_sparse_rows_kernel<false>(p, b, stream);
}

}  // namespace

// C (m x k) = alpha * A (m x n) . B (n x k) + beta * C; B fp32 or a bf16 table.
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c, float alpha,
          float beta, cudaStream_t stream) {
  csr_times_dense(a, a_values, b, c, alpha, beta, stream);
}
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const bfloat16> b, MatrixView<float> c, float alpha,
          float beta, cudaStream_t stream) {
  csr_times_dense(a, a_values, b, c, alpha, beta, stream);
}

SpmmScratchSize spmm_scratch(index_t rows, offset_t nnz, std::int64_t k) {
  // A long row has more than 64 nonzeros (16 chunks of the narrowest group), so it has at most
  // len / 1024 + 1 < len / 1024 + len / 64 segments.
  SpmmScratchSize need;
  need.segment_offsets = std::int64_t{rows} + 1;
  need.partial_ld = (k + 3) / 4 * 4;
  need.partials = (nnz / kLongSegment + nnz / (kLongRowChunks * 4) + 1) * need.partial_ld;
  return need;
}

void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c, float alpha,
          float beta, const SpmmScratch& scratch, cudaStream_t stream) {
  csr_times_dense_split(a, a_values, b, c, alpha, beta, scratch, stream);
}
void spmm(const CsrPattern& a, const float* a_values, MatrixView<const bfloat16> b, MatrixView<float> c, float alpha,
          float beta, const SpmmScratch& scratch, cudaStream_t stream) {
  csr_times_dense_split(a, a_values, b, c, alpha, beta, scratch, stream);
}

}  // namespace kernels::cuda
