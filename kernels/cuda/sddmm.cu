// SDDMM: out[p] = <A_i, B_j> for every nonzero p = (i, j) of a CSR pattern, and the fused AutoRec
// output layer sddmm_squared_error (dot product + bias + activation + error + squared-error loss).
//
// Mapping. Nonzeros, not rows, are divided among warps: warp w takes kRounds * 32 / G consecutive
// nonzeros, so every warp does the same work however heavy-tailed the rows are. The row of the warp's
// first nonzero comes from a binary search in the offsets; each group then walks forward from it.
// A group of G lanes (the narrowest of 4 .. 32 that covers k in one pass) computes one dot product:
// each lane strides over k with V-wide loads (float4 when both operands allow it), then a G-lane
// butterfly of shuffles adds the lanes' partial sums. Consecutive nonzeros share the row A_i, which
// therefore stays in L1 while the B_j rows stream.
//
// Fusion. The epilogue runs on the group's first lane right after the reduction: the plain SDDMM
// stores the dot product; the AutoRec one adds the bias, applies the activation, writes the error and
// the prediction and keeps its squared error in a double, which the block then sums (warp shuffles,
// then shared memory) and adds to the device double with one atomicAdd per block.
#include "common.cuh"
#include "kernels/cuda.h"

namespace kernels::cuda {
namespace {

constexpr int kSddmmThreads = 256;
constexpr int kRounds = 8;  // nonzeros per group per warp assignment

struct SddmmParams {
  const offset_t* __restrict__ offsets;  // (rows + 1)
  const index_t* __restrict__ indices;   // (nnz)
  const float* __restrict__ a;           // (rows, k), ld lda
  const float* __restrict__ b;           // (cols, k), ld ldb
  offset_t nnz;
  index_t rows;
  std::int64_t lda;
  std::int64_t ldb;
  std::int64_t k;
};

// Epilogue of the plain SDDMM: out[q] = <A_i, B_j>.
struct StoreDot {
  static constexpr bool kReducesLoss = false;
  float* __restrict__ out;
  __device__ double operator()(offset_t q, index_t, float dot) const {
    out[q] = dot;
    return 0.0;
  }
};

// Epilogue of the AutoRec output layer (see cpu.h): returns the squared error of nonzero q.
struct SquaredError {
  static constexpr bool kReducesLoss = true;
  const float* __restrict__ bias;  // (cols) or null
  const float* __restrict__ ratings;
  float* __restrict__ errors;
  float* __restrict__ predictions;  // or null
  double* loss_sum;
  Activation f;
  __device__ double operator()(offset_t q, index_t j, float dot) const {
    const float o = dot + (bias != nullptr ? __ldg(bias + j) : 0.0f);
    const float y = activate(f, o);
    const float diff = y - __ldg(ratings + q);
    errors[q] = diff * activate_derivative(f, o);
    if (predictions != nullptr) predictions[q] = y;
    return static_cast<double>(diff) * diff;
  }
};

// The row holding nonzero q: the last r with offsets[r] <= q (empty rows share their offset with the
// next row, so "last" skips them).
__device__ index_t row_of(const offset_t* __restrict__ offsets, index_t rows, offset_t q) {
  index_t low = 0;
  index_t high = rows - 1;
  while (low < high) {
    const index_t middle = low + (high - low + 1) / 2;
    if (__ldg(offsets + middle) <= q) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

// This lane's share of <a_row, b_row>: columns lane * V + t * G * V.
template <int G, int V>
__device__ __forceinline__ float partial_dot(const float* __restrict__ a_row, const float* __restrict__ b_row,
                                             std::int64_t k) {
  float sum = 0.0f;
  KERNELS_UNROLL(4)
  for (std::int64_t column = (threadIdx.x % G) * V; column < k; column += G * V) {
    if constexpr (V == 4) {
      const float4 x = __ldg(reinterpret_cast<const float4*>(a_row + column));
      const float4 y = __ldg(reinterpret_cast<const float4*>(b_row + column));
      sum += x.x * y.x + x.y * y.y + x.z * y.z + x.w * y.w;
    } else {
      sum += __ldg(a_row + column) * __ldg(b_row + column);
    }
  }
  return sum;
}

template <int G, int V, class Epilogue>
__global__ void __launch_bounds__(kSddmmThreads) sddmm_kernel(const SddmmParams p, const Epilogue epilogue) {
  constexpr int kGroupsPerWarp = detail::kWarp / G;
  const std::int64_t warp = (std::int64_t{blockIdx.x} * kSddmmThreads + threadIdx.x) / detail::kWarp;
  const offset_t warp_first = warp * kGroupsPerWarp * kRounds;
  const int group = static_cast<int>(threadIdx.x % detail::kWarp) / G;
  index_t row = warp_first < p.nnz ? row_of(p.offsets, p.rows, warp_first) : 0;
  double loss = 0.0;
  // Every lane runs every round (the shuffles need the whole warp); lanes past nnz add zeros.
  for (int round = 0; round < kRounds; ++round) {
    const offset_t q = warp_first + round * kGroupsPerWarp + group;
    float partial = 0.0f;
    index_t column = 0;
    if (q < p.nnz) {
      while (__ldg(p.offsets + row + 1) <= q) ++row;
      column = __ldg(p.indices + q);
      partial = partial_dot<G, V>(p.a + row * p.lda, p.b + std::int64_t{column} * p.ldb, p.k);
    }
    const float dot = detail::group_sum<G>(partial);
    if (q < p.nnz && threadIdx.x % G == 0) loss += epilogue(q, column, dot);
  }
  if constexpr (Epilogue::kReducesLoss) detail::add_block_sum<kSddmmThreads>(loss, epilogue.loss_sum);
}

template <int G, int V, class Epilogue>
void launch_sddmm(const SddmmParams& p, const Epilogue& epilogue, cudaStream_t stream) {
  const std::int64_t per_block = std::int64_t{kSddmmThreads} / G * kRounds;
  cuda::launch(dim3(blocks_for(p.nnz, static_cast<int>(per_block))), dim3(kSddmmThreads), 0, stream,
         sddmm_kernel<G, V, Epilogue>, p, epilogue);
}

template <int V, class Epilogue>
void launch_with_vector_width(const SddmmParams& p, const Epilogue& epilogue, cudaStream_t stream) {
  const std::int64_t vectors = (p.k + V - 1) / V;
  if (vectors <= 4) return launch_sddmm<4, V>(p, epilogue, stream);
  if (vectors <= 8) return launch_sddmm<8, V>(p, epilogue, stream);
  if (vectors <= 16) return launch_sddmm<16, V>(p, epilogue, stream);
  return launch_sddmm<32, V>(p, epilogue, stream);
}

// Checks the shapes (A: rows x k, B: cols x k), then launches with float4 loads when both allow them.
template <class Epilogue>
void run_sddmm(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b,
               const Epilogue& epilogue, cudaStream_t stream) {
  detail::require_csr(pattern, "pattern");
  detail::require_sddmm_operands(pattern, a, b);
  if (pattern.nnz == 0) return;
  const SddmmParams p{pattern.offsets, pattern.indices, a.data, b.data, pattern.nnz, pattern.rows,
                      a.ld,            b.ld,            a.cols};
  if (a.cols % 4 == 0 && detail::aligned_for_float4(a.data, a.ld) && detail::aligned_for_float4(b.data, b.ld)) {
    launch_with_vector_width<4>(p, epilogue, stream);
  } else {
    launch_with_vector_width<1>(p, epilogue, stream);
  }
}

}  // namespace

void sddmm(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b, float* out,
           cudaStream_t stream) {
  detail::require_array(out, pattern.nnz, "out");
  run_sddmm(pattern, a, b, StoreDot{out}, stream);
}

void sddmm_squared_error(const CsrPattern& pattern, MatrixView<const float> h, MatrixView<const float> w,
                         const float* bias, const float* ratings, Activation f, float* errors, float* predictions,
                         double* loss_sum, cudaStream_t stream) {
  detail::require_array(ratings, pattern.nnz, "ratings");
  detail::require_array(errors, pattern.nnz, "errors");
  KERNELS_REQUIRE(loss_sum != nullptr, "loss_sum is null");
  run_sddmm(pattern, h, w, SquaredError{bias, ratings, errors, predictions, loss_sum, f}, stream);
}

}  // namespace kernels::cuda
