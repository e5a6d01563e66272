// The output layer's forward and backward fused (FusedMM): for every observed p = (i, j) of the batch,
//   o = <H_i, W_j> + c_j,  y = f(o),  errors[p] = (y - r_p) f'(o),  loss += (y - r_p)^2,
//   dH_i = alpha * sum over row i of errors[p] * W_j,
// reading each W row once per nonzero where sddmm_squared_error followed by spmm reads it twice.
//
// Mapping and load balance. The batch's rows are cut into segments of at most kSegment nonzeros that
// never cross a row, and one warp takes one segment, so a heavy row (a popular item: thousands of
// ratings) is spread over as many warps as it has segments: the work follows the nonzeros, not the
// rows. A warp keeps H_i in registers (lane l owns columns l*V + t*32*V, at most 16 per lane: k <= 512)
// and for each nonzero reads W_j once into registers: the dot product (a butterfly over the warp), the
// epilogue (every lane computes it; lane 0 stores the error), then acc += e * W_j from the same registers.
//
// bf16 table (layer.w_bf16 given): W_j is loaded as bf16x2 words (8 bytes per float4 lane, 4 per scalar
// pair) and widened in registers; H, the sums and dH stay fp32.
//
// Determinism. Each warp writes its segment's partial dH (k floats) to scratch; a second kernel adds
// every row's partials in segment order and scales by alpha. No float atomics on dH: the same bits on
// every run. (The loss, a double, is added per block with one atomicAdd, as in sddmm.cu.) A first
// one-block kernel numbers the segments: first_segment[i] = sum over rows r < i of ceil(len_r / kSegment).
#include "block_scan.cuh"
#include "common.cuh"
#include "kernels/cuda.h"

namespace kernels::cuda {
namespace {

constexpr int kThreads = detail::kScanThreads;
constexpr int kWarpsPerBlock = kThreads / detail::kWarp;
constexpr int kSegment = 64;       // nonzeros per warp task
constexpr int kColumnsPerLane = 16;  // registers of H_i (and of dH, W_j) per lane: k <= 32 * 16 = 512

struct BackpropParams {
  OutputLayerBackprop layer;
  offset_t* first_segment;  // (m + 1)
  float* partials;          // (segments x partial_ld)
  std::int64_t partial_ld;
  double* loss_sum;
};

// ceil(len_i / kSegment): the segments of row i.
struct SegmentCount {
  const offset_t* offsets;
  __device__ offset_t operator()(std::int64_t i) const {
    return (__ldg(offsets + i + 1) - __ldg(offsets + i) + kSegment - 1) / kSegment;
  }
};

// first_segment[0] = 0, first_segment[i + 1] = first_segment[i] + ceil(len_i / kSegment), by one block.
__global__ void __launch_bounds__(kThreads) number_segments_kernel(const offset_t* __restrict__ offsets, index_t rows,
                                                                   offset_t* __restrict__ first_segment) {
  detail::single_block_scan(rows, 0, SegmentCount{offsets}, first_segment);
}

// The lane's columns of a k-long row: x[t][v] = row[t * 32 * V + lane * V + v], zero past k.
// T: fp32 (H, or W) or bf16 (W's copy): float4 loads or 8-byte bf16x2 pair loads, widened in registers.
template <int V, class T>
__device__ __forceinline__ void load_lane_columns(const T* __restrict__ row, std::int64_t k, int lane,
                                                  float (&x)[kColumnsPerLane / V][V]) {
  KERNELS_UNROLL(16)
  for (int t = 0; t < kColumnsPerLane / V; ++t) {
    const std::int64_t column = std::int64_t{t} * detail::kWarp * V + lane * V;
    if constexpr (V == 4) {
      const float4 value = column < k ? detail::load4(row + column) : make_float4(0, 0, 0, 0);
      x[t][0] = value.x;
      x[t][1] = value.y;
      x[t][2] = value.z;
      x[t][3] = value.w;
    } else {
      x[t][0] = column < k ? detail::load1(row + column) : 0.0f;
    }
  }
}

// The W table the kernel gathers from: the fp32 weights, or their bf16 copy.
template <class TW>
__device__ __forceinline__ const TW* table_row(const OutputLayerBackprop& layer, index_t j) {
  if constexpr (sizeof(TW) == sizeof(float)) {
    return layer.w.row(j);
  } else {
    return layer.w_bf16.row(j);
  }
}

template <int V, class TW>
__global__ void __launch_bounds__(kThreads) backprop_segments_kernel(const BackpropParams p) {
  constexpr int kPieces = kColumnsPerLane / V;
  const OutputLayerBackprop& layer = p.layer;
  const offset_t segment = (offset_t{blockIdx.x} * kThreads + threadIdx.x) / detail::kWarp;
  const int lane = static_cast<int>(threadIdx.x) % detail::kWarp;
  const std::int64_t k = layer.h.cols;
  double loss = 0.0;
  if (segment < p.first_segment[layer.pattern.rows]) {  // warp-uniform
    const index_t row = detail::row_of_segment(p.first_segment, layer.pattern.rows, segment);
    const offset_t row_end = __ldg(layer.pattern.offsets + row + 1);
    const offset_t begin = __ldg(layer.pattern.offsets + row) + (segment - p.first_segment[row]) * kSegment;
    const offset_t end = begin + kSegment < row_end ? begin + kSegment : row_end;
    float h[kPieces][V];
    float acc[kPieces][V] = {};
    load_lane_columns<V>(layer.h.row(row), k, lane, h);
    for (offset_t q = begin; q < end; ++q) {
      const index_t j = __ldg(layer.pattern.indices + q);
      float w[kPieces][V];
      load_lane_columns<V>(table_row<TW>(layer, j), k, lane, w);
      float partial = 0.0f;
      KERNELS_UNROLL(16)
      for (int t = 0; t < kPieces; ++t) {
        for (int v = 0; v < V; ++v) partial += h[t][v] * w[t][v];
      }
      const float o = detail::warp_sum(partial) + (layer.bias != nullptr ? __ldg(layer.bias + j) : 0.0f);
      const float diff = activate(layer.f, o) - __ldg(layer.ratings + q);
      const float e = diff * activate_derivative(layer.f, o);
      if (lane == 0) {
        layer.errors[q] = e;
        loss += static_cast<double>(diff) * diff;
      }
      KERNELS_UNROLL(16)
      for (int t = 0; t < kPieces; ++t) {
        for (int v = 0; v < V; ++v) acc[t][v] += e * w[t][v];
      }
    }
    float* out = p.partials + segment * p.partial_ld;
    KERNELS_UNROLL(16)
    for (int t = 0; t < kPieces; ++t) {
      for (int v = 0; v < V; ++v) {
        const std::int64_t column = std::int64_t{t} * detail::kWarp * V + lane * V + v;
        if (column < k) out[column] = acc[t][v];
      }
    }
  }
  detail::add_block_sum<kThreads>(loss, p.loss_sum);
}

// dH_i = alpha * (sum of row i's partials in segment order); zero for a row without nonzeros.
__global__ void __launch_bounds__(kThreads) reduce_segments_kernel(const BackpropParams p) {
  const OutputLayerBackprop& layer = p.layer;
  const index_t row = static_cast<index_t>(blockIdx.x);
  const offset_t first = p.first_segment[row];
  const offset_t last = p.first_segment[row + 1];
  for (std::int64_t column = threadIdx.x; column < layer.h.cols; column += kThreads) {
    float sum = 0.0f;
    for (offset_t s = first; s < last; ++s) sum += p.partials[s * p.partial_ld + column];
    layer.dh(row, column) = layer.alpha * sum;
  }
}

// float4 lanes (H and the table rows 4-element aligned) or scalar ones, gathering from table w.
template <class TW>
void launch_segments(const BackpropParams& p, MatrixView<const TW> w, dim3 grid, cudaStream_t stream) {
  const OutputLayerBackprop& layer = p.layer;
  const bool vectorizable = layer.h.cols % 4 == 0 && detail::aligned_for_float4(layer.h.data, layer.h.ld) &&
                            detail::aligned_for_vector4(w.data, w.ld);
  if (vectorizable) {
    cuda::launch(grid, dim3(kThreads), 0, stream, backprop_segments_kernel<4, TW>, p);
  } else {
    cuda::launch(grid, dim3(kThreads), 0, stream, backprop_segments_kernel<1, TW>, p);
  }
}

}  // namespace

OutputLayerBackpropScratch sddmm_squared_error_backprop_scratch(index_t rows, offset_t nnz, std::int64_t k) {
  OutputLayerBackpropScratch need;
  need.segment_offsets = std::int64_t{rows} + 1;
  need.partial_ld = (k + 3) / 4 * 4;
  need.partials = (nnz / kSegment + rows) * need.partial_ld;  // each row adds at most one partial segment
  return need;
}

void sddmm_squared_error_backprop(const OutputLayerBackprop& layer, double* loss_sum, offset_t* segment_offsets,
                                  float* partials, cudaStream_t stream) {
  detail::require_csr(layer.pattern, "pattern");
  detail::require_sddmm_operands(layer.pattern, layer.h, layer.w);
  detail::require_bf16_copy(layer.w_bf16, layer.w);
  detail::require_array(layer.ratings, layer.pattern.nnz, "ratings");
  detail::require_array(layer.errors, layer.pattern.nnz, "errors");
  detail::require_matrix(layer.dh, "dH");
  KERNELS_REQUIRE(layer.dh.rows == layer.pattern.rows && layer.dh.cols == layer.h.cols,
                  "dH is ", layer.dh.rows, " x ", layer.dh.cols, ", expected ", layer.pattern.rows, " x ",
                  layer.h.cols);
  KERNELS_REQUIRE(layer.h.cols <= detail::kWarp * kColumnsPerLane,
                  "k=", layer.h.cols, ": the fused output layer holds at most ", detail::kWarp * kColumnsPerLane,
                  " columns per row in registers (use sddmm_squared_error and spmm)");
  KERNELS_REQUIRE(loss_sum != nullptr, "loss_sum is null");
  if (layer.pattern.rows == 0) return;
  const OutputLayerBackpropScratch need =
      sddmm_squared_error_backprop_scratch(layer.pattern.rows, layer.pattern.nnz, layer.h.cols);
  KERNELS_REQUIRE(segment_offsets != nullptr && (partials != nullptr || need.partials == 0), "scratch is null");
  const BackpropParams p{layer, segment_offsets, partials, need.partial_ld, loss_sum};
  cuda::launch(dim3(1), dim3(kThreads), 0, stream, number_segments_kernel, layer.pattern.offsets, layer.pattern.rows,
               segment_offsets);
  const std::int64_t max_segments = need.partials / need.partial_ld;
  const dim3 grid(blocks_for(max_segments, kWarpsPerBlock));
  if (layer.w_bf16.data != nullptr) {
    launch_segments<bfloat16>(p, layer.w_bf16, grid, stream);
  } else {
    launch_segments<float>(p, layer.w, grid, stream);
  }
  cuda::launch(dim3(static_cast<unsigned>(layer.pattern.rows)), dim3(kThreads), 0, stream, reduce_segments_kernel, p);
}

}  // namespace kernels::cuda
